/**
 * The relay envelope: a fixed binary routing header around an opaque payload.
 *
 * <p>Why binary and not JSON: the header is tiny and fixed, so a binary layout is easy to parse
 * strictly (every length checked against the bytes present before anything is allocated) and the
 * payload, usually ciphertext, needs no escaping. The layout is in {@link org.ciphersync.relay.protocol.frame.FrameCodec}.
 *
 * <p>Invariants: a decoded {@link org.ciphersync.relay.protocol.frame.Frame} always satisfies the limits of
 * {@link org.ciphersync.relay.protocol.frame.FrameLimits}; the decoder throws only
 * {@link org.ciphersync.relay.protocol.frame.FrameException}; {@code toString} never shows payload bytes.
 */
package org.ciphersync.relay.protocol.frame;
