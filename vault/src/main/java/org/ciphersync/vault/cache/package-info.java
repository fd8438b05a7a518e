/**
 * A local cache of the vault's immutable metadata objects (commits and index objects), so that a
 * command reads from the storage only what is new since the last command (docs/design.md (Vault) §6).
 */
package org.ciphersync.vault.cache;
