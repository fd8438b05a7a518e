package org.ciphersync.relay.protocol.message;

import java.util.ArrayList;
import java.util.List;
import org.ciphersync.relay.protocol.frame.Frame;
import org.ciphersync.relay.protocol.frame.FrameException;
import org.ciphersync.relay.protocol.frame.FrameType;

/**
 * Converts typed {@link Message}s to frames and back. Body layouts (big-endian; {@code text} and
 * {@code bytes} are a u16 length followed by that many bytes, text being UTF-8 without control characters):
 *
 * <pre>
 * CREATE_SESSION     profile = text machineName(≤64) · text emailLabel(≤254) · bytes identityKey(≤256)
 * JOIN_REQUEST       profile · bytes hello(≤4096)                       header session MUST be set
 * CANDIDATE_MESSAGE  opaque payload; recipients in the header (≤1)
 * ADMIT, REJECT      u32 candidateId
 * DATA               opaque payload; recipients in the header
 * LEADER_COMMAND     u8 kind (1 settings, 2 start inventory, 3 start synchronization, 4 restart) · opaque rest
 * SET_STATUS         text status(≤32)
 * LEAVE              empty
 * RESUME             u32 memberId · 32-byte resume token                header session MUST be set
 * WELCOME            u32 memberId · 32-byte resume token · 32-byte transfer token · u8 flags (bit 0 resumed, bit 1 missed frames)
 * MEMBER_LIST        u64 epoch · u8 n(≤5) · n × (u32 memberId · u8 letter · profile · text ip(≤64) · text status(≤32) · u8 online)
 * JOIN_REQUESTED     u32 candidateId · profile · text ip(≤64) · bytes hello(≤4096)
 * JOIN_REJECTED      text reason(≤200) · u64 retryAfterMillis
 * MEMBER_LEFT        u32 memberId · u8 reason (1 left, 2 connection lost)
 * SESSION_ENDED      u8 reason (1 idle expired, 2 relay shutdown)
 * ERROR              u8 code · text message(≤300) · u64 retryAfterMillis
 * </pre>
 *
 * Decoding is as strict as {@link org.ciphersync.relay.protocol.frame.FrameCodec}: every body must be
 * consumed exactly, and the only exception is {@link FrameException}.
 */
public final class MessageCodec {

    private MessageCodec() {
    }

    /** Wraps {@code message} into a frame with the given header fields. */
    public static Frame toFrame(Message message, long sessionId, long sequence, int sender) {
        List<Integer> recipients = switch (message) {
            case Message.Data d -> d.recipients();
            case Message.CandidateMessage c -> c.recipients();
            default -> List.of();
        };
        return new Frame(message.type(), sessionId, sequence, sender, recipients, encodeBody(message));
    }

    /** The body bytes of {@code message}. */
    public static byte[] encodeBody(Message message) {
        BodyWriter w = new BodyWriter();
        switch (message) {
            case Message.CreateSession m -> m.profile().write(w);
            case Message.JoinRequest m -> {
                m.profile().write(w);
                w.bytes(m.hello());
            }
            case Message.CandidateMessage m -> {
                return m.payload();
            }
            case Message.Admit m -> w.u32(m.candidateId());
            case Message.Reject m -> w.u32(m.candidateId());
            case Message.Data m -> {
                return m.payload();
            }
            case Message.LeaderCommand m -> w.u8(m.kind().code()).fixed(m.payload());
            case Message.SetStatus m -> w.text(m.status());
            case Message.Leave m -> {
            }
            case Message.Resume m -> w.u32(m.memberId()).fixed(m.resumeToken());
            case Message.Welcome m -> w.u32(m.memberId()).fixed(m.resumeToken()).fixed(m.transferToken())
                    .u8((m.resumed() ? 1 : 0) | (m.missedFrames() ? 2 : 0));
            case Message.MemberList m -> {
                w.u64(m.epoch()).u8(m.members().size());
                for (MemberView v : m.members()) {
                    w.u32(v.memberId()).u8(v.letter());
                    v.profile().write(w);
                    w.text(v.publicIp()).text(v.status()).bool(v.online());
                }
            }
            case Message.JoinRequested m -> {
                w.u32(m.candidateId());
                m.profile().write(w);
                w.text(m.publicIp()).bytes(m.hello());
            }
            case Message.JoinRejected m -> w.text(m.reason()).u64(m.retryAfterMillis());
            case Message.MemberLeft m -> w.u32(m.memberId()).u8(m.reason().code());
            case Message.SessionEnded m -> w.u8(m.reason().code());
            case Message.Error m -> w.u8(m.code().code()).text(m.message()).u64(m.retryAfterMillis());
        }
        return w.toByteArray();
    }

    /** Interprets the body of {@code frame} according to its type. */
    public static Message fromFrame(Frame frame) throws FrameException {
        FrameType type = frame.type();
        byte[] payload = frame.payload();
        BodyReader r = new BodyReader(payload);
        try {
            Message m = switch (type) {
                case CREATE_SESSION -> new Message.CreateSession(MemberProfile.read(r));
                case JOIN_REQUEST -> {
                    requireSession(frame);
                    yield new Message.JoinRequest(MemberProfile.read(r), r.bytes("hello", Bytes.MAX_HELLO));
                }
                case CANDIDATE_MESSAGE -> {
                    if (frame.recipients().size() > 1) {
                        throw new FrameException("a candidate message goes to one peer, not " + frame.recipients().size());
                    }
                    yield new Message.CandidateMessage(frame.recipients(), r.rest());
                }
                case ADMIT -> new Message.Admit(r.id("candidate id"));
                case REJECT -> new Message.Reject(r.id("candidate id"));
                case DATA -> new Message.Data(frame.recipients(), r.rest());
                case LEADER_COMMAND -> {
                    int code = r.u8("command kind");
                    Message.LeaderCommand.Kind kind = Message.LeaderCommand.Kind.ofCode(code);
                    if (kind == null) {
                        throw new FrameException("unknown leader command kind " + code);
                    }
                    yield new Message.LeaderCommand(kind, r.rest());
                }
                case SET_STATUS -> new Message.SetStatus(r.text("status", Message.SetStatus.MAX_CHARS));
                case LEAVE -> new Message.Leave();
                case RESUME -> {
                    requireSession(frame);
                    yield new Message.Resume(r.id("member id"), r.fixed("resume token", Bytes.TOKEN_LENGTH));
                }
                case WELCOME -> {
                    int id = r.id("member id");
                    byte[] resume = r.fixed("resume token", Bytes.TOKEN_LENGTH);
                    byte[] transfer = r.fixed("transfer token", Bytes.TOKEN_LENGTH);
                    int flags = r.u8("flags");
                    if ((flags & ~3) != 0) {
                        throw new FrameException("unknown welcome flags " + flags);
                    }
                    yield new Message.Welcome(id, resume, transfer, (flags & 1) != 0, (flags & 2) != 0);
                }
                case MEMBER_LIST -> {
                    long epoch = r.u63("epoch");
                    int n = r.u8("member count");
                    if (n > Message.MemberList.MAX_MEMBERS) {
                        throw new FrameException("member count " + n + " exceeds " + Message.MemberList.MAX_MEMBERS);
                    }
                    List<MemberView> members = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        int id = r.id("member id");
                        int letter = r.u8("letter");
                        if (letter < 'A' || letter > 'Z') {
                            throw new FrameException("letter byte " + letter + " is not A..Z");
                        }
                        MemberProfile profile = MemberProfile.read(r);
                        String ip = r.text("public IP", 64);
                        String status = r.text("status", Message.SetStatus.MAX_CHARS);
                        members.add(new MemberView(id, (char) letter, profile, ip, status, r.bool("online")));
                    }
                    yield new Message.MemberList(epoch, members);
                }
                case JOIN_REQUESTED -> new Message.JoinRequested(r.id("candidate id"), MemberProfile.read(r),
                        r.text("public IP", 64), r.bytes("hello", Bytes.MAX_HELLO));
                case JOIN_REJECTED -> new Message.JoinRejected(r.text("reason", 200), r.u63("retry-after"));
                case MEMBER_LEFT -> {
                    int id = r.id("member id");
                    int code = r.u8("leave reason");
                    Message.MemberLeft.LeaveReason reason = null;
                    for (Message.MemberLeft.LeaveReason lr : Message.MemberLeft.LeaveReason.values()) {
                        if (lr.code() == code) {
                            reason = lr;
                        }
                    }
                    if (reason == null) {
                        throw new FrameException("unknown leave reason " + code);
                    }
                    yield new Message.MemberLeft(id, reason);
                }
                case SESSION_ENDED -> {
                    int code = r.u8("end reason");
                    Message.SessionEnded.EndReason reason = null;
                    for (Message.SessionEnded.EndReason er : Message.SessionEnded.EndReason.values()) {
                        if (er.code() == code) {
                            reason = er;
                        }
                    }
                    if (reason == null) {
                        throw new FrameException("unknown end reason " + code);
                    }
                    yield new Message.SessionEnded(reason);
                }
                case ERROR -> {
                    int code = r.u8("error code");
                    ErrorCode ec = ErrorCode.ofCode(code);
                    if (ec == null) {
                        throw new FrameException("unknown error code " + code);
                    }
                    yield new Message.Error(ec, r.text("error message", 300), r.u63("retry-after"));
                }
            };
            r.end(type.name());
            return m;
        } catch (IllegalArgumentException e) {
            // a record rejected a decoded value: report it as a bad frame, never as a crash
            throw new FrameException(type + ": " + e.getMessage());
        }
    }

    private static void requireSession(Frame frame) throws FrameException {
        if (frame.sessionId() == 0) {
            throw new FrameException(frame.type() + " must name a session in the header");
        }
    }
}
