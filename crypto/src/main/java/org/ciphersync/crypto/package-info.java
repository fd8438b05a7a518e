/**
 * Cryptography for ciphersync: a leaf module on the JDK providers and Bouncy Castle, with no
 * primitive written by hand. This package holds only the user-facing exception family; the
 * concepts live in sub-packages:
 * <ul>
 *   <li>{@code secret}: wipeable secret holders, session passwords, password strength;</li>
 *   <li>{@code kdf}: Argon2id (stored, calibrated, floored parameters) and HKDF-SHA-256;</li>
 *   <li>{@code keys}: the key hierarchy (vault root → namespace → purpose keys);</li>
 *   <li>{@code aead}: AES-256-GCM envelope and segmented STREAM encryption with associated data;</li>
 *   <li>{@code hash}: keyed chunk IDs (HMAC-SHA-256);</li>
 *   <li>{@code identity}: Ed25519/X25519 installation identity, its file and fingerprint;</li>
 *   <li>{@code pake}: EC J-PAKE join with transcript binding and key confirmation;</li>
 *   <li>{@code channel}: ordered AEAD frames under a directional key.</li>
 * </ul>
 * Formats, the key hierarchy and the threat model are in {@code docs/design.md} ("Cryptography").
 * Error messages of this module never contain keys, passwords or plaintext.
 */
package org.ciphersync.crypto;
