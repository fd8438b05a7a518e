package org.ciphersync.relay.protocol.frame;

/**
 * Every frame type of protocol version 1, its wire code and its limits.
 *
 * <p>Codes {@code 0x01..0x3F} travel from a client to the relay; the relay forwards the
 * "relayed" ones ({@link #CANDIDATE_MESSAGE}, {@link #DATA}, {@link #LEADER_COMMAND}) unchanged except for the
 * sender field, which it stamps. Codes {@code 0x40..0x7F} are events the relay itself emits.
 * Unknown codes are rejected by the decoder.
 */
public enum FrameType {
    /** Client: create a session; body = member profile. The relay answers with WELCOME. */
    CREATE_SESSION(0x01, Direction.TO_RELAY, false, FrameLimits.MAX_CONTROL_PAYLOAD),
    /** Client: ask to join the session in the header; body = profile + opaque first PAKE message. */
    JOIN_REQUEST(0x02, Direction.TO_RELAY, false, FrameLimits.MAX_CONTROL_PAYLOAD),
    /**
     * Both ways: one PAKE message on the channel dedicated to a candidate. From the candidate it goes to
     * its sponsor (no recipients); from a member it MUST name exactly the candidate as recipient.
     */
    CANDIDATE_MESSAGE(0x03, Direction.BOTH, true, FrameLimits.MAX_CONTROL_PAYLOAD),
    /** Member: admit candidate; body = u32 candidate id. */
    ADMIT(0x04, Direction.TO_RELAY, false, 16),
    /** Member: reject candidate (wrong password); body = u32 candidate id. Counts as a join failure. */
    REJECT(0x05, Direction.TO_RELAY, false, 16),
    /** Both ways: opaque end-to-end encrypted payload to all other members (no recipients) or to the listed ones. */
    DATA(0x06, Direction.BOTH, true, FrameLimits.MAX_PAYLOAD),
    /** Both ways: leader-only command (u8 kind + opaque payload) to all other members; refused unless sent by member A. */
    LEADER_COMMAND(0x07, Direction.BOTH, false, FrameLimits.MAX_PAYLOAD),
    /** Member: set its displayed status; body = short ASCII label. */
    SET_STATUS(0x08, Direction.TO_RELAY, false, 130),
    /** Member: leave the session for good; empty body. */
    LEAVE(0x09, Direction.TO_RELAY, false, 0),
    /** Former connection of a member: take its place back; header session id, body = member id + resume token. */
    RESUME(0x0A, Direction.TO_RELAY, false, 36),

    /** Relay: you are a member; body = member id, resume token, transfer token, flags. */
    WELCOME(0x41, Direction.FROM_RELAY, false, 256),
    /** Relay: the current members in join order with their letters; pushed on every change. */
    MEMBER_LIST(0x42, Direction.FROM_RELAY, false, FrameLimits.MAX_CONTROL_PAYLOAD),
    /** Relay to the sponsor: a candidate asks to join; body = candidate id, profile, public IP, opaque hello. */
    JOIN_REQUESTED(0x43, Direction.FROM_RELAY, false, FrameLimits.MAX_CONTROL_PAYLOAD),
    /** Relay to a candidate: the join was refused; body = reason + retry-after. */
    JOIN_REJECTED(0x44, Direction.FROM_RELAY, false, 2048),
    /** Relay: a member left or lost its place; body = member id + reason. */
    MEMBER_LEFT(0x45, Direction.FROM_RELAY, false, 16),
    /** Relay: the session is over (expired); body = reason. The relay closes the socket after it. */
    SESSION_ENDED(0x46, Direction.FROM_RELAY, false, 16),
    /** Relay: a request failed; body = code, human message, retry-after. */
    ERROR(0x47, Direction.FROM_RELAY, false, 2048);

    /** Who may send a frame type. */
    public enum Direction { TO_RELAY, FROM_RELAY, BOTH }

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final Direction direction;
    private final boolean takesRecipients;
    private final int maxPayload;

    FrameType(int code, Direction direction, boolean takesRecipients, int maxPayload) {
        this.code = code;
        this.direction = direction;
        this.takesRecipients = takesRecipients;
        this.maxPayload = maxPayload;
    }

    /** The wire code (one byte). */
    public int code() {
        return code;
    }

    public Direction direction() {
        return direction;
    }

    /** Whether a non-empty recipient list is allowed for this type. */
    public boolean takesRecipients() {
        return takesRecipients;
    }

    /** Largest payload this type may carry, in bytes. */
    public int maxPayload() {
        return maxPayload;
    }

    /** Whether a client may send this type to the relay. */
    public boolean clientMaySend() {
        return direction != Direction.FROM_RELAY;
    }

    /** The type with this code, or {@code null} if unknown. */
    public static FrameType ofCode(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }
}
