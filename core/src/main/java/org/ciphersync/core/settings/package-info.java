/**
 * Session Settings (S7) and the filters they imply.
 *
 * <p>{@link org.ciphersync.core.settings.SyncSettings} is the immutable value the leader
 * chooses; {@link org.ciphersync.core.settings.PathFilter} turns it (plus the node's ignore
 * file) into per-entry decisions, using gitignore-like {@link org.ciphersync.core.settings.Glob}
 * patterns and the documented {@link org.ciphersync.core.settings.SystemFiles} list. Filters
 * are pure functions of names and paths, so every node applies the same settings identically;
 * excluded directories are not descended, which is also what makes large ignored trees cheap.
 */
package org.ciphersync.core.settings;
