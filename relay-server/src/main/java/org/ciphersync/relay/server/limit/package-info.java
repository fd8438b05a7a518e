/**
 * Abuse limits: {@link org.ciphersync.relay.server.limit.JoinLimiter} (failed joins per session and per
 * source address, then exponential lockout) and {@link org.ciphersync.relay.protocol.limit.RateLimiter}
 * (a token bucket of frames per connection). Frame size is capped by the WebSocket layer before any
 * byte is decoded.
 */
package org.ciphersync.relay.server.limit;
