package org.ciphersync.relay.protocol.message;

/** Why the relay refused a request. Codes are stable on the wire. */
public enum ErrorCode {
    /** The frame was understood but not valid here (wrong session, sender, recipients). */
    BAD_REQUEST(1),
    /** No such session (never existed, ended or expired). */
    UNKNOWN_SESSION(2),
    /** The session already has five members. */
    SESSION_FULL(3),
    /** Too many failed joins for this session or this address; see retry-after. */
    LOCKED_OUT(4),
    /** A leader-only command from a member other than A. */
    NOT_LEADER(5),
    /** The connection must be a member for this request. */
    NOT_A_MEMBER(6),
    /** No member is online to authenticate a candidate. */
    NO_MEMBER_ONLINE(7),
    /** The named candidate is not waiting on this member. */
    UNKNOWN_CANDIDATE(8),
    /** A recipient is not a member of the session. */
    UNKNOWN_RECIPIENT(9),
    /** Too many frames or bytes per second on this connection; see retry-after. */
    RATE_LIMITED(10),
    /** The sequence number did not increase. */
    BAD_SEQUENCE(11),
    /** The place could not be resumed (unknown member, wrong token, grace period over). */
    RESUME_FAILED(12),
    /** Too many candidates are authenticating at once; try again shortly. */
    BUSY(13),
    /** The connection already belongs to a session or is already a candidate. */
    ALREADY_IN_SESSION(14),
    /** The member authenticating the candidate went away; try joining again. */
    SPONSOR_GONE(15),
    /** An unexpected failure inside the relay. */
    INTERNAL(16);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static ErrorCode ofCode(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
