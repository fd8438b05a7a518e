package org.ciphersync.crypto.kdf;

import java.nio.charset.StandardCharsets;

/**
 * Every HKDF label of ciphersync, in one place. Each label names one purpose; a key derived under
 * one label is never used for another purpose. Labels are ASCII, none contains {@code 0x00}, and
 * {@link Hkdf#info} appends {@code 0x00 ‖ lp16(context)}, so distinct (label, context) pairs give
 * distinct HKDF info strings. Changing a label's text is a format change.
 */
public enum KeyLabel {
    /** Vault root key → one application namespace's key (context: namespace name). */
    NAMESPACE("ciphersync/v1/namespace"),
    /** Namespace key → parent of the namespace's per-object encryption keys. */
    NAMESPACE_DATA("ciphersync/v1/ns/data"),
    /** Namespace key → HMAC key for chunk IDs. */
    NAMESPACE_CHUNK_ID("ciphersync/v1/ns/chunk-id"),
    /** Namespace key → parent key for index, snapshot and metadata objects. */
    NAMESPACE_INDEX("ciphersync/v1/ns/index"),
    /** Namespace key → key for encrypting names where a name must be stored encrypted. */
    NAMESPACE_NAMES("ciphersync/v1/ns/names"),
    /** Vault root key → key for the sync-chain records. */
    VAULT_CHAIN("ciphersync/v1/vault/chain"),
    /** Parent key + random object salt → one object's AES-256 key (context: object kind). */
    AEAD_OBJECT("ciphersync/v1/aead/object"),
    /** Session group key → session channel key. */
    SESSION_CHANNEL("ciphersync/v1/session/channel"),
    /** PAKE: creator's key-confirmation key. */
    PAKE_CONFIRM_CREATOR("ciphersync/v1/pake/confirm/creator"),
    /** PAKE: joiner's key-confirmation key. */
    PAKE_CONFIRM_JOINER("ciphersync/v1/pake/confirm/joiner"),
    /** PAKE: key of the join channel from creator to joiner. */
    PAKE_CHANNEL_CREATOR_TO_JOINER("ciphersync/v1/pake/channel/creator-to-joiner"),
    /** PAKE: key of the join channel from joiner to creator. */
    PAKE_CHANNEL_JOINER_TO_CREATOR("ciphersync/v1/pake/channel/joiner-to-creator"),
    /** Identity file: passphrase-derived key → envelope parent key. */
    IDENTITY_FILE("ciphersync/v1/identity/file");

    private final String text;

    KeyLabel(String text) {
        this.text = text;
    }

    /** The label as it enters HKDF info. */
    public String text() {
        return text;
    }

    byte[] bytes() {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
