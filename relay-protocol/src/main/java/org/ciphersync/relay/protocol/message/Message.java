package org.ciphersync.relay.protocol.message;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ciphersync.relay.protocol.frame.FrameType;

/**
 * The typed bodies of every frame type. {@link MessageCodec} converts between these and {@link
 * org.ciphersync.relay.protocol.frame.Frame}s. Records holding byte arrays copy them in and out;
 * records holding tokens never print them.
 */
public sealed interface Message {

    /** The frame type that carries this message. */
    FrameType type();

    // ---------------------------------------------------------------- client to relay

    /** Create a session; the sender becomes member A. Answered by {@link Welcome} and {@link MemberList}. */
    record CreateSession(MemberProfile profile) implements Message {
        public CreateSession {
            Objects.requireNonNull(profile, "profile == null");
        }

        public FrameType type() {
            return FrameType.CREATE_SESSION;
        }
    }

    /**
     * Ask to join the session named in the frame header. The relay routes it, as {@link JoinRequested},
     * to one online member (the sponsor), who runs the PAKE with the candidate through
     * {@link CandidateMessage}s and then sends {@link Admit} or {@link Reject}.
     *
     * @param hello the candidate's first PAKE message, opaque to the relay
     */
    record JoinRequest(MemberProfile profile, byte[] hello) implements Message {
        public JoinRequest {
            Objects.requireNonNull(profile, "profile == null");
            hello = Bytes.copy("hello", hello, Bytes.MAX_HELLO);
        }

        @Override
        public byte[] hello() {
            return hello.clone();
        }

        public FrameType type() {
            return FrameType.JOIN_REQUEST;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof JoinRequest j && profile.equals(j.profile) && Arrays.equals(hello, j.hello);
        }

        @Override
        public int hashCode() {
            return profile.hashCode() * 31 + Arrays.hashCode(hello);
        }

        @Override
        public String toString() {
            return "JoinRequest[" + profile + ", hello=" + hello.length + " bytes]";
        }
    }

    /**
     * One PAKE message on the channel dedicated to a candidate. A candidate sends it with no
     * recipients (it goes to its sponsor); a member MUST name the candidate as the only recipient.
     */
    record CandidateMessage(List<Integer> recipients, byte[] payload) implements Message {
        public CandidateMessage {
            recipients = List.copyOf(recipients);
            if (recipients.size() > 1) {
                throw new IllegalArgumentException("a candidate message goes to one peer, not " + recipients.size());
            }
            payload = Bytes.copy("payload", payload, FrameType.CANDIDATE_MESSAGE.maxPayload());
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        public FrameType type() {
            return FrameType.CANDIDATE_MESSAGE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CandidateMessage c && recipients.equals(c.recipients) && Arrays.equals(payload, c.payload);
        }

        @Override
        public int hashCode() {
            return recipients.hashCode() * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "CandidateMessage[to=" + recipients + ", " + payload.length + " bytes]";
        }
    }

    /** Admit a candidate after a successful PAKE. Only a member may send it; the candidate gets a {@link Welcome}. */
    record Admit(int candidateId) implements Message {
        public Admit {
            Bytes.positive("candidate id", candidateId);
        }

        public FrameType type() {
            return FrameType.ADMIT;
        }
    }

    /** Reject a candidate (its PAKE failed: wrong session password). Counts toward the join lockout. */
    record Reject(int candidateId) implements Message {
        public Reject {
            Bytes.positive("candidate id", candidateId);
        }

        public FrameType type() {
            return FrameType.REJECT;
        }
    }

    /** An opaque end-to-end encrypted payload to all other members (empty recipients) or to the listed members. */
    record Data(List<Integer> recipients, byte[] payload) implements Message {
        public Data {
            recipients = List.copyOf(recipients);
            payload = Bytes.copy("payload", payload, FrameType.DATA.maxPayload());
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        public FrameType type() {
            return FrameType.DATA;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && recipients.equals(d.recipients) && Arrays.equals(payload, d.payload);
        }

        @Override
        public int hashCode() {
            return recipients.hashCode() * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Data[to=" + (recipients.isEmpty() ? "all" : recipients) + ", " + payload.length + " bytes]";
        }
    }

    /**
     * A leader-only command, broadcast to all other members. The relay refuses it unless the sender
     * is member A; the session client additionally verifies the leader's signature inside the
     * (opaque) payload.
     */
    record LeaderCommand(Kind kind, byte[] payload) implements Message {
        /** What the leader commands; the relay checks only who sends it. */
        public enum Kind {
            SETTINGS(1), START_INVENTORY(2), START_SYNCHRONIZATION(3), RESTART(4);

            private final int code;

            Kind(int code) {
                this.code = code;
            }

            public int code() {
                return code;
            }

            static Kind ofCode(int code) {
                for (Kind k : values()) {
                    if (k.code == code) {
                        return k;
                    }
                }
                return null;
            }
        }

        public LeaderCommand {
            Objects.requireNonNull(kind, "kind == null");
            payload = Bytes.copy("payload", payload, FrameType.LEADER_COMMAND.maxPayload() - 1);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        public FrameType type() {
            return FrameType.LEADER_COMMAND;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LeaderCommand c && kind == c.kind && Arrays.equals(payload, c.payload);
        }

        @Override
        public int hashCode() {
            return kind.hashCode() * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "LeaderCommand[" + kind + ", " + payload.length + " bytes]";
        }
    }

    /** Set the sender's displayed status, a short label such as "ready" or "inventory". */
    record SetStatus(String status) implements Message {
        public static final int MAX_CHARS = 32;

        public SetStatus {
            Texts.check("status", status, MAX_CHARS);
        }

        public FrameType type() {
            return FrameType.SET_STATUS;
        }
    }

    /** Leave the session for good (Exit). The session ends when the last member leaves. */
    record Leave() implements Message {
        public FrameType type() {
            return FrameType.LEAVE;
        }
    }

    /**
     * Take back a place kept after a lost connection, within the relay's grace period.
     * The session is in the frame header.
     */
    record Resume(int memberId, byte[] resumeToken) implements Message {
        public Resume {
            Bytes.positive("member id", memberId);
            resumeToken = Bytes.token("resume token", resumeToken);
        }

        @Override
        public byte[] resumeToken() {
            return resumeToken.clone();
        }

        public FrameType type() {
            return FrameType.RESUME;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Resume r && memberId == r.memberId && Arrays.equals(resumeToken, r.resumeToken);
        }

        @Override
        public int hashCode() {
            return memberId * 31 + Arrays.hashCode(resumeToken);
        }

        @Override
        public String toString() {
            return "Resume[member=" + memberId + ", token=<hidden>]";
        }
    }

    // ---------------------------------------------------------------- relay to client

    /**
     * You are a member of the session in the frame header.
     *
     * @param memberId      your stable member id
     * @param resumeToken   secret to present in {@link Resume} after a lost connection
     * @param transferToken bearer token for the HTTP part endpoints, valid while this connection lives
     * @param resumed       true if this answers a {@link Resume}
     * @param missedFrames  true if frames addressed to you while offline were dropped (buffer overflow)
     */
    record Welcome(int memberId, byte[] resumeToken, byte[] transferToken, boolean resumed, boolean missedFrames) implements Message {
        public Welcome {
            Bytes.positive("member id", memberId);
            resumeToken = Bytes.token("resume token", resumeToken);
            transferToken = Bytes.token("transfer token", transferToken);
        }

        @Override
        public byte[] resumeToken() {
            return resumeToken.clone();
        }

        @Override
        public byte[] transferToken() {
            return transferToken.clone();
        }

        public FrameType type() {
            return FrameType.WELCOME;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Welcome w && memberId == w.memberId && resumed == w.resumed && missedFrames == w.missedFrames
                    && Arrays.equals(resumeToken, w.resumeToken) && Arrays.equals(transferToken, w.transferToken);
        }

        @Override
        public int hashCode() {
            return Objects.hash(memberId, resumed, missedFrames) * 31 + Arrays.hashCode(resumeToken);
        }

        @Override
        public String toString() {
            return "Welcome[member=" + memberId + ", resumed=" + resumed + ", missedFrames=" + missedFrames + ", tokens=<hidden>]";
        }
    }

    /**
     * The current members in join order, lettered A.. without gaps. Pushed to every member on each change.
     *
     * @param epoch increases by one on every membership change (join, leave, loss of place); the
     *              session client rotates the group key per epoch and ignores lists older than the last seen
     */
    record MemberList(long epoch, List<MemberView> members) implements Message {
        public static final int MAX_MEMBERS = 5;

        public MemberList {
            if (epoch < 0) {
                throw new IllegalArgumentException("epoch " + epoch + " is negative");
            }
            members = List.copyOf(members);
            if (members.size() > MAX_MEMBERS) {
                throw new IllegalArgumentException("member count " + members.size() + " exceeds " + MAX_MEMBERS);
            }
        }

        public FrameType type() {
            return FrameType.MEMBER_LIST;
        }
    }

    /** To the sponsor: candidate {@code candidateId} asks to join; run the PAKE with it over {@link CandidateMessage}s. */
    record JoinRequested(int candidateId, MemberProfile profile, String publicIp, byte[] hello) implements Message {
        public JoinRequested {
            Bytes.positive("candidate id", candidateId);
            Objects.requireNonNull(profile, "profile == null");
            Texts.check("public IP", publicIp, 64);
            hello = Bytes.copy("hello", hello, Bytes.MAX_HELLO);
        }

        @Override
        public byte[] hello() {
            return hello.clone();
        }

        public FrameType type() {
            return FrameType.JOIN_REQUESTED;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof JoinRequested j && candidateId == j.candidateId && profile.equals(j.profile)
                    && publicIp.equals(j.publicIp) && Arrays.equals(hello, j.hello);
        }

        @Override
        public int hashCode() {
            return Objects.hash(candidateId, profile, publicIp) * 31 + Arrays.hashCode(hello);
        }

        @Override
        public String toString() {
            return "JoinRequested[candidate=" + candidateId + ", " + profile + ", ip=" + publicIp + ", hello=" + hello.length + " bytes]";
        }
    }

    /**
     * To a candidate: the join failed. It may try again (after {@code retryAfterMillis} if that is positive:
     * too many failures locked this session or this address out for that long).
     */
    record JoinRejected(String reason, long retryAfterMillis) implements Message {
        public JoinRejected {
            Texts.check("reason", reason, 200);
            if (retryAfterMillis < 0) {
                throw new IllegalArgumentException("retry-after " + retryAfterMillis + " is negative");
            }
        }

        public FrameType type() {
            return FrameType.JOIN_REJECTED;
        }
    }

    /** A member is gone: it left, or its connection was lost longer than the grace period. */
    record MemberLeft(int memberId, LeaveReason reason) implements Message {
        public enum LeaveReason {
            LEFT(1), CONNECTION_LOST(2);

            private final int code;

            LeaveReason(int code) {
                this.code = code;
            }

            public int code() {
                return code;
            }
        }

        public MemberLeft {
            Bytes.positive("member id", memberId);
            Objects.requireNonNull(reason, "reason == null");
        }

        public FrameType type() {
            return FrameType.MEMBER_LEFT;
        }
    }

    /** The session is over; the relay closes the connection after this event. */
    record SessionEnded(EndReason reason) implements Message {
        public enum EndReason {
            IDLE_EXPIRED(1), RELAY_SHUTDOWN(2);

            private final int code;

            EndReason(int code) {
                this.code = code;
            }

            public int code() {
                return code;
            }
        }

        public SessionEnded {
            Objects.requireNonNull(reason, "reason == null");
        }

        public FrameType type() {
            return FrameType.SESSION_ENDED;
        }
    }

    /**
     * A request failed. {@code message} is written for the person at the keyboard.
     *
     * @param retryAfterMillis positive when retrying later may succeed (lockout, rate limit), else 0
     */
    record Error(ErrorCode code, String message, long retryAfterMillis) implements Message {
        public Error {
            Objects.requireNonNull(code, "code == null");
            Texts.check("error message", message, 300);
            if (retryAfterMillis < 0) {
                throw new IllegalArgumentException("retry-after " + retryAfterMillis + " is negative");
            }
        }

        public FrameType type() {
            return FrameType.ERROR;
        }
    }
}
