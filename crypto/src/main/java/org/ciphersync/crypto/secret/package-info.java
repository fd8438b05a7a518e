/**
 * Secrets as values that can be wiped and never print themselves.
 *
 * <p>{@link org.ciphersync.crypto.secret.SecretBytes} and {@link org.ciphersync.crypto.secret.Password}
 * wrap mutable arrays that {@code close()} overwrites; their {@code toString()} is redacted and
 * they have no content {@code equals}. Invariant: no secret of this module ever reaches a log
 * line, an exception message or a {@code toString()}.
 *
 * <p>{@link org.ciphersync.crypto.secret.SessionPasswords}: 12 Crockford base32 symbols (60 bits)
 * in groups of four, canonicalised on input. {@link org.ciphersync.crypto.secret.PasswordStrength}:
 * a documented entropy estimate with a list of very common passwords; weak passwords get a
 * message that says what to do.
 */
package org.ciphersync.crypto.secret;
