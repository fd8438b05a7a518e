/**
 * Installation identities: an Ed25519 signing key (leader commands, PAKE confirmation, chain
 * records) and an X25519 agreement key, from the JDK providers.
 *
 * <p>{@link org.ciphersync.crypto.identity.IdentityFile}: mode 0600, atomic write, optionally
 * encrypted under an Argon2id-derived key; refused when other users can read it.
 * {@link org.ciphersync.crypto.identity.Fingerprint}: 160 bits of a domain-separated SHA-256 of
 * both public keys, in Crockford base32 groups, for people to compare.
 */
package org.ciphersync.crypto.identity;
