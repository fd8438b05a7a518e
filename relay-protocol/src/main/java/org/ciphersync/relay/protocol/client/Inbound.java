package org.ciphersync.relay.protocol.client;

import org.ciphersync.relay.protocol.frame.Frame;
import org.ciphersync.relay.protocol.message.Message;

/**
 * One frame received from the relay and its decoded body.
 *
 * @param frame   header as received (sender is stamped by the relay: 0 for its own events)
 * @param message the typed body
 */
public record Inbound(Frame frame, Message message) {

    /** Sender member or candidate id, 0 for the relay itself. */
    public int sender() {
        return frame.sender();
    }
}
