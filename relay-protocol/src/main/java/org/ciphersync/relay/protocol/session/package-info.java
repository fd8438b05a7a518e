/**
 * Session identity as people and the wire see it.
 *
 * <p>The relay (never a client) generates a {@link org.ciphersync.relay.protocol.session.SessionId}:
 * 45 bits from {@code SecureRandom}, printed as nine Crockford base32 characters in three groups so it
 * can be read out over the phone. The session password is a separate secret that the relay never sees.
 */
package org.ciphersync.relay.protocol.session;
