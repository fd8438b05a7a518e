/**
 * Authenticated encryption: AES-256-GCM (JDK provider) under keys derived per object.
 *
 * <p><b>Nonce policy.</b> Every envelope and every stream has its own key,
 * {@code HKDF(salt = random 256-bit object salt, IKM = parent key)}; inside it nonces are a
 * counter {@code 0…0 ‖ segment index u32 ‖ final flag}. No nonce ever repeats under one key
 * without any coordination between the computers writing a vault: keys repeat only if two
 * 256-bit salts collide. (Random 96-bit nonces under one key would cap every key at 2^32
 * messages across all computers, which nobody can count.)
 *
 * <p><b>Binding.</b> The associated data of every GCM call is {@code header ‖}
 * {@link org.ciphersync.crypto.aead.AeadContext}: vault or session, namespace, purpose, object id,
 * index. <b>Streams</b> (STREAM construction): fixed-size segments whose index and final flag are
 * in the nonce, so truncation, reordering, duplication and splicing fail authentication.
 *
 * <p><b>Performance.</b> Buffer-oriented APIs write into caller buffers; the cipher is fed in
 * pieces of at most 64 KiB, which keeps a fresh JVM out of the slow AES-GCM path until C2 has
 * compiled it. Instances are single-threaded.
 */
package org.ciphersync.crypto.aead;
