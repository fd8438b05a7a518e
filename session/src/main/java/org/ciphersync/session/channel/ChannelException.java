package org.ciphersync.session.channel;

/**
 * A frame on the group channel was refused: it was modified, replayed, reordered, sealed under an
 * unknown key epoch, or is malformed. The session reports it as a security alert; the frame is not acted on.
 */
public final class ChannelException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a frame was refused. */
    public enum Reason { MALFORMED, UNKNOWN_EPOCH, AUTHENTICATION_FAILED, REPLAYED_OR_REORDERED, BAD_SIGNATURE }

    private final Reason reason;

    public ChannelException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
