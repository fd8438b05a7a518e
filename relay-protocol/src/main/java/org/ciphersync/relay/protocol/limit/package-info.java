/**
 * Frame-rate limiting shared by both ends: the relay rejects frames above its rate with a
 * {@link org.ciphersync.relay.protocol.limit.RateLimiter}; the client paces itself with the same
 * bucket at the protocol's rate ({@link org.ciphersync.relay.protocol.frame.FrameLimits#FRAMES_PER_SECOND}),
 * so a conforming client never has a frame dropped.
 */
package org.ciphersync.relay.protocol.limit;
