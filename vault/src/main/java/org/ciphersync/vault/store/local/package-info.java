/**
 * The default backend: a folder on a local or mounted file system.
 *
 * <p>Save algorithm: create {@code .<name>.tmp-<random>} with {@code CREATE_NEW} next to the target,
 * copy the length-checked source, {@code fsync} the file, rename it over the target with
 * {@code ATOMIC_MOVE}, {@code fsync} the folder. A crash before the rename leaves only a hidden
 * temporary file; after it, the complete object. File systems without atomic rename are refused.
 */
package org.ciphersync.vault.store.local;
