package org.ciphersync.session;

/**
 * A session operation failed for a reason the person at the keyboard can act on (wrong password,
 * session full, relay unreachable, not the leader, …). Messages say what failed and what to do;
 * they never contain a password, key or token.
 */
public class SessionException extends Exception {
    private static final long serialVersionUID = 1L;

    public SessionException(String message) {
        super(message);
    }

    public SessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
