/**
 * The vault's on-storage format (docs/design.md (Vault) §2): object names
 * ({@link org.ciphersync.vault.format.ObjectNames}), the config, computer records, commits, index
 * objects and blobs. Everything but the config and key slots is sealed under a key of the
 * hierarchy, with associated data that names the object's place, so storage can neither read,
 * alter, swap nor move objects undetected: metadata objects with crypto's {@code Envelope}, blobs
 * (format 2) with crypto's segmented stream in 64 KiB segments ({@link
 * org.ciphersync.vault.format.BlobCodec}), so no AES-GCM decryption ever handles more than 64 KiB
 * at once (the JDK's GCM decryption is slow on large messages in a fresh JVM). Packs and index
 * objects are content-addressed (SHA-256 of the stored bytes in the name) and carry the writer's
 * computer id, so no two computers ever write the same name.
 */
package org.ciphersync.vault.format;
