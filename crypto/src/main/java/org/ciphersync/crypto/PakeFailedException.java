package org.ciphersync.crypto;

/**
 * A PAKE run (joining a session) failed: the session password does not match, or a message was
 * modified on the way. The run is over; the person may retry with the password again.
 */
public class PakeFailedException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public PakeFailedException(String message) {
        super(message);
    }

    public PakeFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
