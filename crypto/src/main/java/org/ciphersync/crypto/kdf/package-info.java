/**
 * Key derivation: Argon2id for passwords, HKDF-SHA-256 for everything derived from a key.
 *
 * <p>{@link org.ciphersync.crypto.kdf.Argon2idParams} are stored beside what they protect, carry
 * their own salt, and enforce a floor (64 MiB, 2 passes, 16-byte salt) and a ceiling (1 GiB,
 * 64 passes) at construction and decoding, so a tampered file can neither weaken the KDF nor
 * exhaust the machine. {@link org.ciphersync.crypto.kdf.PasswordKdf#calibrate} picks parameters
 * taking about 0.75 s on the creating machine.
 *
 * <p>{@link org.ciphersync.crypto.kdf.Hkdf} derives child keys as
 * {@code Expand(parent, label ‖ 0x00 ‖ lp16(context), 32)}; every label is in
 * {@link org.ciphersync.crypto.kdf.KeyLabel}, which makes the domain separation reviewable in one
 * file. Known answers: RFC 9106 §5.3 and RFC 5869 A.1–A.3 (test resources).
 */
package org.ciphersync.crypto.kdf;
