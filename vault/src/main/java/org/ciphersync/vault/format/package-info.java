/**
 * The vault's on-storage format (docs/design/vault.md §2): object names
 * ({@link org.ciphersync.vault.format.ObjectNames}), the config, computer records, commits, index
 * objects and blobs. Everything but the config and key slots is sealed with crypto's
 * {@code Envelope} under a key of the hierarchy, with associated data that names the object's
 * place, so storage can neither read, alter, swap nor move objects undetected. Packs and index
 * objects are content-addressed (SHA-256 of the stored bytes in the name) and carry the writer's
 * computer id, so no two computers ever write the same name.
 */
package org.ciphersync.vault.format;
