package org.ciphersync.session;

import java.time.Duration;

/**
 * Joining failed: wrong session ID or password, session full, locked out after too many failures.
 * The person may correct the input and try again, after {@link #retryAfter()} when that is positive.
 */
public final class JoinRefusedException extends SessionException {
    private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    public JoinRefusedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
    }

    /** How long to wait before the relay accepts another attempt ({@link Duration#ZERO} when at once). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
