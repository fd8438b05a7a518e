package org.ciphersync.session.wire;

/** A message from another member or the relay is malformed; the message names the field. */
public final class WireException extends Exception {
    private static final long serialVersionUID = 1L;

    public WireException(String message) {
        super(message);
    }
}
