package org.ciphersync.session.channel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ciphersync.crypto.kdf.Hkdf;
import org.ciphersync.crypto.kdf.KeyLabel;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.frame.FrameType;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.wire.WireReader;
import org.ciphersync.session.wire.WireWriter;

/**
 * The session's end-to-end encrypted group channel (S4): every control message between members is
 * one sealed group frame, carried by the relay as the opaque payload of a DATA or LEADER_COMMAND frame.
 *
 * <pre>
 * off len field
 * 0   1   kind 0x47 'G'
 * 1   8   key epoch (u64)
 * 9   4   sender member id (u32)
 * 13  8   sequence number (u64, per epoch and sender, from 0, +1 per frame)
 * 21  n   AES-256-GCM ciphertext of the message
 * 21+n 16 GCM tag
 *
 * key   = HKDF-Expand(group key of the epoch, "ciphersync/v1/session/channel" ‖ 0x00 ‖
 *                     lp16(lp16(session id text) ‖ epoch u64 ‖ sender u32))
 * nonce = 0x00000000 ‖ sequence (u64)
 * AAD   = "cs-group-v1" ‖ session id u64 ‖ relay frame type u8 ‖ bytes 0..21
 * </pre>
 *
 * Each sender has its own key per epoch, so counter nonces of different senders never meet under one
 * key, and a frame re-attributed to another sender, epoch, session or frame type fails authentication.
 * The receiver accepts from each (epoch, sender) only strictly increasing sequence numbers: a replayed
 * or reordered frame is refused, a dropped one is reported as a gap by the next frame. In the epoch in
 * which this member joined, the first frame of each sender sets the baseline (frames sealed before the
 * join were never meant for us). Keys of the current and the previous epoch are kept, so frames sent
 * just before a rotation still open; older keys are wiped.
 *
 * <p>Not thread-safe: the session client calls it under its own lock.
 */
public final class GroupChannel {
    public static final byte KIND_GROUP = 'G';
    public static final int HEADER = 21;
    public static final int TAG = 16;
    private static final byte[] AAD_DOMAIN = "cs-group-v1".getBytes(StandardCharsets.US_ASCII);

    private final SessionId session;
    private final byte[] sessionText;
    private final int self;
    private final TreeMap<Long, SecretBytes> keys = new TreeMap<>();
    private final Map<Long, Map<Integer, Long>> lastSeen = new HashMap<>();
    private final Set<Long> baselineEpochs = new HashSet<>();
    /**
     * Previous epochs whose keys are kept, so frames sealed just before a rotation still open. Two,
     * not one: a join and a leave rotate twice within milliseconds, and a frame a new member sealed
     * under its join epoch could reach a member that had installed both later keys.
     */
    static final int KEPT_PREVIOUS_EPOCHS = 2;
    private long epoch = -1;
    private long sendSeq;

    /** One opened frame. {@code missed} counts frames of this sender that never arrived before it. */
    public record Opened(long epoch, int sender, long sequence, byte[] plaintext, long missed) {
    }

    public GroupChannel(SessionId session, int self) {
        this.session = Objects.requireNonNull(session, "session == null");
        this.sessionText = session.toString().getBytes(StandardCharsets.US_ASCII);
        if (self <= 0) {
            throw new IllegalArgumentException("member id " + self + " is not positive");
        }
        this.self = self;
    }

    /**
     * Makes {@code key} the group key of {@code newEpoch} and the one this member sends under.
     *
     * @param joinEpoch true for the epoch in which this member joined (baseline rule above)
     * @throws IllegalArgumentException if {@code newEpoch} does not exceed the current epoch
     */
    public void install(long newEpoch, SecretBytes key, boolean joinEpoch) {
        if (newEpoch <= epoch) {
            throw new IllegalArgumentException("key epoch " + newEpoch + " does not exceed the current epoch " + epoch);
        }
        if (key.length() != 32) {
            throw new IllegalArgumentException("group key must be 32 bytes");
        }
        keys.put(newEpoch, key.copy());
        epoch = newEpoch;
        sendSeq = 0;
        if (joinEpoch) {
            baselineEpochs.add(newEpoch);
        }
        while (keys.firstKey() < newEpoch - KEPT_PREVIOUS_EPOCHS) {
            long old = keys.firstKey();
            keys.remove(old).close();
            lastSeen.remove(old);
            baselineEpochs.remove(old);
        }
    }

    /** The epoch this member sends under, -1 before any key. */
    public long epoch() {
        return epoch;
    }

    /** A copy of the current group key (the caller wipes it). */
    public SecretBytes currentKey() {
        requireKey();
        return keys.get(epoch).copy();
    }

    /** A copy of the group key of {@code e} if this member still holds it (current or previous epoch). */
    public java.util.Optional<SecretBytes> keyFor(long e) {
        SecretBytes k = keys.get(e);
        return k == null ? java.util.Optional.empty() : java.util.Optional.of(k.copy());
    }

    /** The sequence number the next {@link #seal} will use. */
    public long nextSequence() {
        return sendSeq;
    }

    /** Seals {@code plaintext} as the next frame of this member, for a relay frame of type {@code frameType}. */
    public byte[] seal(FrameType frameType, byte[] plaintext) {
        requireKey();
        long seq = sendSeq++;
        byte[] header = header(epoch, self, seq);
        byte[] out = new byte[HEADER + plaintext.length + TAG];
        System.arraycopy(header, 0, out, 0, HEADER);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, epoch, self, seq);
            c.updateAAD(aad(frameType, header));
            int n = 0;
            for (int off = 0; off < plaintext.length; off += 64 * 1024) {
                n += c.update(plaintext, off, Math.min(64 * 1024, plaintext.length - off), out, HEADER + n);
            }
            c.doFinal(out, HEADER + n);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
        return out;
    }

    /**
     * Opens a frame the relay delivered as sent by {@code stampedSender}.
     *
     * @throws ChannelException if it is malformed, from an unknown epoch, modified, misattributed,
     *                          replayed or older than a frame already accepted from that sender
     */
    public Opened open(FrameType frameType, int stampedSender, byte[] payload) throws ChannelException {
        if (payload.length < HEADER + TAG || payload[0] != KIND_GROUP) {
            throw new ChannelException(ChannelException.Reason.MALFORMED, "a group frame of " + payload.length + " bytes is malformed");
        }
        WireReader r = new WireReader(payload, 1, HEADER - 1);
        long e;
        long sender;
        long seq;
        try {
            e = r.u64("epoch");
            sender = r.u32("sender");
            seq = r.u64("sequence");
        } catch (org.ciphersync.session.wire.WireException x) {
            throw new ChannelException(ChannelException.Reason.MALFORMED, x.getMessage());
        }
        if (sender != stampedSender || sender == self) {
            throw new ChannelException(ChannelException.Reason.AUTHENTICATION_FAILED,
                    "a frame claims sender " + sender + " but the relay delivered it from " + stampedSender);
        }
        if (seq < 0) {
            throw new ChannelException(ChannelException.Reason.MALFORMED, "sequence number is out of range");
        }
        if (!keys.containsKey(e)) {
            throw new ChannelException(ChannelException.Reason.UNKNOWN_EPOCH,
                    "a frame from member " + sender + " uses key epoch " + e + " but this member holds epochs " + keys.keySet());
        }
        byte[] plain = new byte[payload.length - HEADER - TAG];
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, e, (int) sender, seq);
            c.updateAAD(aad(frameType, java.util.Arrays.copyOf(payload, HEADER)));
            int n = 0;
            int ctLen = payload.length - HEADER;
            byte[] tmp = new byte[plain.length + TAG];
            for (int off = 0; off < ctLen; off += 64 * 1024) {
                n += c.update(payload, HEADER + off, Math.min(64 * 1024, ctLen - off), tmp, n);
            }
            n += c.doFinal(tmp, n);
            System.arraycopy(tmp, 0, plain, 0, plain.length);
        } catch (AEADBadTagException x) {
            throw new ChannelException(ChannelException.Reason.AUTHENTICATION_FAILED,
                    "a frame from member " + sender + " failed authentication (modified, or sealed under another key)");
        } catch (GeneralSecurityException x) {
            throw new IllegalStateException("AES-GCM failed", x);
        }
        Map<Integer, Long> seen = lastSeen.computeIfAbsent(e, k -> new HashMap<>());
        Long last = seen.get((int) sender);
        long missed;
        if (last == null) {
            missed = baselineEpochs.contains(e) ? 0 : seq;
        } else if (seq <= last) {
            throw new ChannelException(ChannelException.Reason.REPLAYED_OR_REORDERED, "frame " + seq + " of member " + sender
                    + " in epoch " + e + " was replayed or reordered (already accepted up to " + last + ")");
        } else {
            missed = seq - last - 1;
        }
        seen.put((int) sender, seq);
        return new Opened(e, (int) sender, seq, plain, missed);
    }

    private void requireKey() {
        if (epoch < 0) {
            throw new IllegalStateException("no group key installed yet");
        }
    }

    private static byte[] header(long epoch, int sender, long seq) {
        return new WireWriter().u8(KIND_GROUP).u64(epoch).u32(sender).u64(seq).toByteArray();
    }

    private byte[] aad(FrameType frameType, byte[] header) {
        return new WireWriter().raw(AAD_DOMAIN).u64(session.value()).u8(frameType.code()).raw(header).toByteArray();
    }

    private Cipher cipher(int mode, long e, int sender, long seq) throws GeneralSecurityException {
        byte[] ctx = new WireWriter().bytes(sessionText).u64(e).u32(sender).toByteArray();
        byte[] nonce = new WireWriter().u32(0).u64(seq).toByteArray();
        try (SecretBytes k = Hkdf.deriveKey(keys.get(e), KeyLabel.SESSION_CHANNEL, ctx)) {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(k.expose(), "AES"), new GCMParameterSpec(128, nonce));
            return c;
        }
    }

    /** Wipes every key. */
    public void close() {
        keys.values().forEach(SecretBytes::close);
        keys.clear();
    }

    @Override
    public String toString() {
        return "GroupChannel[session=" + session + ", member=" + self + ", epoch=" + epoch + ", keys redacted]";
    }
}
