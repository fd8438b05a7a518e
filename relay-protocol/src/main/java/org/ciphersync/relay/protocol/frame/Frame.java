package org.ciphersync.relay.protocol.frame;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One relay envelope: routing header around an opaque payload.
 *
 * <p>The relay reads only the header (type, session, sequence, sender, recipients, length); for
 * relayed types the payload is end-to-end ciphertext it never interprets. {@link #toString()} prints
 * the payload length only, never its bytes.
 *
 * @param type       frame type
 * @param sessionId  raw 45-bit session id, 0 when the connection has no session yet
 * @param sequence   sender's sequence number, ≥ 0; clients MUST increase it strictly per member
 * @param sender     sender member id; 0 for the relay or a connection that is not a member yet
 * @param recipients recipient member ids (distinct, positive, at most {@link FrameLimits#MAX_RECIPIENTS});
 *                   empty means "all other members" for {@link FrameType#DATA}
 * @param payload    payload bytes (copied in and out)
 */
public record Frame(FrameType type, long sessionId, long sequence, int sender, List<Integer> recipients, byte[] payload) {

    public Frame {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(recipients, "recipients == null");
        Objects.requireNonNull(payload, "payload == null");
        if (sessionId < 0 || sessionId > org.ciphersync.relay.protocol.session.SessionId.MAX_VALUE) {
            throw new IllegalArgumentException("session id " + sessionId + " is outside 0..2^45-1");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence " + sequence + " is negative");
        }
        if (sender < 0) {
            throw new IllegalArgumentException("sender " + sender + " is negative");
        }
        recipients = List.copyOf(recipients);
        if (recipients.size() > FrameLimits.MAX_RECIPIENTS) {
            throw new IllegalArgumentException("recipient count " + recipients.size() + " exceeds " + FrameLimits.MAX_RECIPIENTS);
        }
        if (!recipients.isEmpty() && !type.takesRecipients()) {
            throw new IllegalArgumentException(type + " takes no recipients but " + recipients.size() + " were given");
        }
        for (int i = 0; i < recipients.size(); i++) {
            int r = recipients.get(i);
            if (r <= 0) {
                throw new IllegalArgumentException("recipient " + r + " at index " + i + " is not a member id");
            }
            if (recipients.indexOf(r) != i) {
                throw new IllegalArgumentException("recipient " + r + " is listed twice");
            }
        }
        if (payload.length > type.maxPayload()) {
            throw new IllegalArgumentException(type + " payload of " + payload.length + " bytes exceeds " + type.maxPayload());
        }
        payload = payload.clone();
    }

    /** A frame with no session, sender or recipients, as a client sends before it belongs to a session. */
    public static Frame of(FrameType type, long sessionId, long sequence, byte[] payload) {
        return new Frame(type, sessionId, sequence, 0, List.of(), payload);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** Payload length without copying. */
    public int payloadLength() {
        return payload.length;
    }

    /** The same frame with another sender (the relay stamps the authenticated sender before forwarding). */
    public Frame withSender(int newSender) {
        return new Frame(type, sessionId, sequence, newSender, recipients, payload);
    }

    byte[] payloadUnsafe() {
        return payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && type == f.type && sessionId == f.sessionId && sequence == f.sequence
                && sender == f.sender && recipients.equals(f.recipients) && Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, sessionId, sequence, sender, recipients) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Frame[" + type + " session=" + sessionId + " seq=" + sequence + " sender=" + sender
                + " recipients=" + recipients + " payload=" + payload.length + " bytes]";
    }
}
