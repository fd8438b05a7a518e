package org.ciphersync.relay.server.part;

/** A part request the store refuses; {@link #reason()} maps to an HTTP status. */
public final class PartException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a part request was refused. */
    public enum Reason {
        INVALID(400), NOT_FOUND(404), EXISTS(409), LENGTH_REQUIRED(411), TOO_LARGE(413), QUOTA_EXCEEDED(507);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public PartException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
