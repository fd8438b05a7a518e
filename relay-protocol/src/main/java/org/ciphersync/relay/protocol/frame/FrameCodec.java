package org.ciphersync.relay.protocol.frame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary codec of relay frames, protocol version 1 (all integers big-endian, unsigned unless said):
 *
 * <pre>
 * offset  size  field
 * 0       1     version = 1
 * 1       1     type code ({@link FrameType})
 * 2       8     session id (0 = none, else 1..2^45-1)
 * 10      8     sequence (signed, MUST be ≥ 0)
 * 18      4     sender member id (signed, MUST be ≥ 0; 0 = relay / not a member)
 * 22      1     recipient count n (0..8)
 * 23      4·n   recipient member ids (each &gt; 0, distinct)
 * 23+4n   4     payload length L (0..type's max, ≤ 1 MiB)
 * 27+4n   L     payload
 * </pre>
 *
 * <p>The decoder is strict: it checks every length against the bytes actually present and against
 * the limits before allocating, rejects unknown versions and types, recipients on types that take
 * none, and trailing bytes. Whatever the input, it returns a {@link Frame} or throws
 * {@link FrameException}; nothing else.
 */
public final class FrameCodec {

    private FrameCodec() {
    }

    /** Encodes a frame; never fails for a valid {@link Frame}. */
    public static byte[] encode(Frame frame) {
        byte[] payload = frame.payloadUnsafe();
        int n = frame.recipients().size();
        ByteBuffer b = ByteBuffer.allocate(FrameLimits.FIXED_HEADER + 4 * n + payload.length);
        b.put((byte) FrameLimits.VERSION);
        b.put((byte) frame.type().code());
        b.putLong(frame.sessionId());
        b.putLong(frame.sequence());
        b.putInt(frame.sender());
        b.put((byte) n);
        for (int r : frame.recipients()) {
            b.putInt(r);
        }
        b.putInt(payload.length);
        b.put(payload);
        return b.array();
    }

    /** Decodes exactly one frame that fills {@code bytes}. */
    public static Frame decode(byte[] bytes) throws FrameException {
        if (bytes == null) {
            throw new FrameException("frame == null");
        }
        return decode(ByteBuffer.wrap(bytes));
    }

    /** Decodes exactly one frame that fills the remaining bytes of {@code in}; consumes them. */
    public static Frame decode(ByteBuffer in) throws FrameException {
        ByteBuffer b = in.slice();
        int total = b.remaining();
        if (total > FrameLimits.MAX_FRAME) {
            throw new FrameException("frame of " + total + " bytes exceeds the maximum of " + FrameLimits.MAX_FRAME);
        }
        if (total < FrameLimits.FIXED_HEADER) {
            throw new FrameException("frame of " + total + " bytes is shorter than the " + FrameLimits.FIXED_HEADER + "-byte header");
        }
        int version = b.get() & 0xff;
        if (version != FrameLimits.VERSION) {
            throw new FrameException("unsupported protocol version " + version + " (this side speaks " + FrameLimits.VERSION + ")");
        }
        int code = b.get() & 0xff;
        FrameType type = FrameType.ofCode(code);
        if (type == null) {
            throw new FrameException(String.format("unknown frame type 0x%02x", code));
        }
        long session = b.getLong();
        if (session < 0 || session > org.ciphersync.relay.protocol.session.SessionId.MAX_VALUE) {
            throw new FrameException("session id field " + Long.toUnsignedString(session) + " exceeds 45 bits");
        }
        long sequence = b.getLong();
        if (sequence < 0) {
            throw new FrameException("sequence " + sequence + " is negative");
        }
        int sender = b.getInt();
        if (sender < 0) {
            throw new FrameException("sender " + Integer.toUnsignedString(sender) + " exceeds 2^31-1");
        }
        int n = b.get() & 0xff;
        if (n > FrameLimits.MAX_RECIPIENTS) {
            throw new FrameException("recipient count " + n + " exceeds " + FrameLimits.MAX_RECIPIENTS);
        }
        if (n > 0 && !type.takesRecipients()) {
            throw new FrameException(type + " takes no recipients but the frame lists " + n);
        }
        if (b.remaining() < 4 * n + 4) {
            throw new FrameException("frame truncated in the recipient list (" + n + " recipients announced)");
        }
        List<Integer> recipients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int r = b.getInt();
            if (r <= 0) {
                throw new FrameException("recipient " + Integer.toUnsignedString(r) + " at index " + i + " is not a member id");
            }
            if (recipients.contains(r)) {
                throw new FrameException("recipient " + r + " is listed twice");
            }
            recipients.add(r);
        }
        long length = b.getInt() & 0xffffffffL;
        if (length > type.maxPayload()) {
            throw new FrameException(type + " payload length " + length + " exceeds " + type.maxPayload());
        }
        if (length != b.remaining()) {
            throw new FrameException("payload length " + length + " does not match the " + b.remaining() + " bytes that follow");
        }
        byte[] payload = new byte[(int) length];
        b.get(payload);
        in.position(in.position() + total);
        return new Frame(type, session, sequence, sender, recipients, payload);
    }
}
