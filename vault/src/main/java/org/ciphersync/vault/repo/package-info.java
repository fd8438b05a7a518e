/**
 * An unlocked vault on a {@code BlobStore}. {@link org.ciphersync.vault.repo.Repository} reads and
 * writes format objects and verifies everything it reads (hash chains, name hashes, seals);
 * {@link org.ciphersync.vault.repo.VaultView} is one namespace read at one moment: logs, index,
 * computers' views and the merged state. Rollback detection compares logs with the heads this
 * computer remembered.
 */
package org.ciphersync.vault.repo;
