package org.ciphersync.relay.protocol.frame;

/**
 * The only exception the relay codecs throw on bad input: a frame or message body that is
 * truncated, oversized, of an unknown version or type, or otherwise malformed. The message names
 * the culprit and is safe to send back to the peer and to log (it never contains payload bytes).
 */
public final class FrameException extends Exception {

    private static final long serialVersionUID = 1L;

    public FrameException(String reason) {
        super(reason);
    }
}
