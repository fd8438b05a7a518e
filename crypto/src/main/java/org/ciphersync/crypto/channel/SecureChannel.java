package org.ciphersync.crypto.channel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ciphersync.crypto.AuthenticationFailedException;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * Ordered, authenticated frames between two parties holding one key per direction (e.g. from a
 * {@code PakeResult}, or a session channel key with a per-sender key). Each frame is
 * {@code AES-256-GCM(key, nonce = 0x00000000 ‖ sequence u64, AAD = "cs-chan1" ‖ lp16(label) ‖ sequence, plaintext) ‖ tag}.
 * The sequence is implicit and counted on both sides, so a dropped, replayed, reordered or
 * reflected frame fails authentication; after a failure the receiving side refuses everything.
 *
 * <p>Keys MUST be fresh per channel (they are, from a PAKE run) and distinct per direction: the
 * sequence then never repeats a nonce under a key. Not thread-safe: one sender thread and one
 * receiver thread, each calling only its own method.
 */
public final class SecureChannel {
    /** Largest plaintext of one frame. */
    public static final int MAX_FRAME = 16 * 1024 * 1024;
    /** Bytes a frame adds. */
    public static final int OVERHEAD = 16;

    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private final byte[] labelBytes;
    private final Cipher sendCipher;
    private final Cipher receiveCipher;
    private long sendSeq;
    private long receiveSeq;
    private boolean broken;

    /**
     * @param label names the channel's purpose (e.g. "join"); both sides MUST use the same label
     */
    public SecureChannel(SecretBytes sendKey, SecretBytes receiveKey, String label) {
        Objects.requireNonNull(sendKey, "sendKey == null");
        Objects.requireNonNull(receiveKey, "receiveKey == null");
        Objects.requireNonNull(label, "label == null");
        if (sendKey.length() != 32 || receiveKey.length() != 32) {
            throw new IllegalArgumentException("channel keys must be 32 bytes");
        }
        if (sendKey.constantTimeEquals(receiveKey)) {
            throw new IllegalArgumentException("channel send and receive keys must differ");
        }
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        if (l.length > 256) {
            throw new IllegalArgumentException("channel label is " + l.length + " bytes, more than 256");
        }
        this.sendKey = new SecretKeySpec(sendKey.expose(), "AES");
        this.receiveKey = new SecretKeySpec(receiveKey.expose(), "AES");
        this.labelBytes = l;
        try {
            sendCipher = Cipher.getInstance("AES/GCM/NoPadding");
            receiveCipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JDK", e);
        }
    }

    /** Seals the next outgoing frame. */
    public byte[] seal(byte[] plaintext) {
        if (plaintext.length > MAX_FRAME) {
            throw new IllegalArgumentException("frame of " + plaintext.length + " bytes exceeds " + MAX_FRAME);
        }
        if (sendSeq == Long.MAX_VALUE) {
            throw new IllegalStateException("channel exhausted its sequence numbers; open a new one");
        }
        try {
            sendCipher.init(Cipher.ENCRYPT_MODE, sendKey, new GCMParameterSpec(128, nonce(sendSeq)));
            sendCipher.updateAAD(aad(sendSeq));
            byte[] out = sendCipher.doFinal(plaintext);
            sendSeq++;
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed unexpectedly", e);
        }
    }

    /**
     * Opens the next incoming frame.
     *
     * @throws AuthenticationFailedException modified, dropped, replayed or reordered frames, wrong key
     */
    public byte[] open(byte[] frame) throws AuthenticationFailedException {
        if (broken) {
            throw new AuthenticationFailedException("secure channel already failed; reconnect");
        }
        if (frame.length < OVERHEAD || frame.length > MAX_FRAME + OVERHEAD) {
            broken = true;
            throw new AuthenticationFailedException("secure channel frame " + receiveSeq + " has impossible length "
                    + frame.length);
        }
        try {
            receiveCipher.init(Cipher.DECRYPT_MODE, receiveKey, new GCMParameterSpec(128, nonce(receiveSeq)));
            receiveCipher.updateAAD(aad(receiveSeq));
            byte[] out = receiveCipher.doFinal(frame);
            receiveSeq++;
            return out;
        } catch (AEADBadTagException e) {
            broken = true;
            throw new AuthenticationFailedException("secure channel frame " + receiveSeq
                    + " failed authentication: it was modified, replayed, reordered or dropped on the way");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed unexpectedly", e);
        }
    }

    private static byte[] nonce(long seq) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return n;
    }

    private byte[] aad(long seq) {
        byte[] a = new byte[8 + 2 + labelBytes.length + 8];
        System.arraycopy("cs-chan1".getBytes(StandardCharsets.US_ASCII), 0, a, 0, 8);
        a[8] = (byte) (labelBytes.length >>> 8);
        a[9] = (byte) labelBytes.length;
        System.arraycopy(labelBytes, 0, a, 10, labelBytes.length);
        for (int i = 0; i < 8; i++) {
            a[10 + labelBytes.length + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return a;
    }

    @Override
    public String toString() {
        return "SecureChannel[sent " + sendSeq + ", received " + receiveSeq + (broken ? ", broken" : "") + "]";
    }
}
