/**
 * The vault (seed 003, "Cloudy"): an encrypted, deduplicated, lock-free store of a user's files on
 * storage the user owns, shared by a chain of the user's computers. The format, key hierarchy,
 * merge rule, crash-safety order and threat model are in {@code docs/design.md (Vault)}.
 *
 * <p>Packages, from pure to effectful: {@code tree} (paths, versions, tree blobs), {@code chain}
 * (version vectors, commits, the deterministic merge), {@code keys} (key slots, recovery key),
 * {@code format} (object names and byte layouts), {@code repo} (an unlocked vault on a
 * {@code BlobStore}), {@code state} (this computer's local state), {@code sync} (up-sync, preview,
 * down-sync, restore), {@code check}, {@code prune}, {@code setup} (init, join, passwords).
 * {@link org.ciphersync.vault.VaultException} is the one family of user-facing failures.
 */
package org.ciphersync.vault;
