package org.ciphersync.vault.repo;

/**
 * The newest commit of one log a computer has seen: its sequence and hash. Remembered locally for
 * rollback detection (docs/design.md (Vault) §6).
 */
public record Head(long seq, String hash) {
}
