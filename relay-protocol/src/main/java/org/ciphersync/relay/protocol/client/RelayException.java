package org.ciphersync.relay.protocol.client;

import java.io.IOException;

/** A relay request failed: connection trouble, a closed socket, an HTTP error, or a timeout. */
public class RelayException extends IOException {

    private static final long serialVersionUID = 1L;
    private final int status;

    public RelayException(String message) {
        this(message, 0, null);
    }

    public RelayException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status for part transfers, WebSocket close code for a closed socket, else 0. */
    public int status() {
        return status;
    }
}
