package org.ciphersync.vault.keys;

/** What unlocks a key slot. */
public enum SlotKind {
    /** The master password, stretched with Argon2id. */
    PASSWORD,
    /** The recovery key (256 random bits), expanded with HKDF-SHA-256. */
    RECOVERY
}
