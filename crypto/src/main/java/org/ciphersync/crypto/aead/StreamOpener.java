package org.ciphersync.crypto.aead;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ciphersync.crypto.AuthenticationFailedException;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * Opens a stream written by {@link StreamSealer}, segment by segment, in order. The opener keeps
 * the segment index itself and checks the final flag, so a caller cannot accept reordered,
 * duplicated, dropped or truncated segments: it only says whether the segment it passes is the
 * last one it has (end of input). After any failure the opener refuses further use.
 *
 * <p>Plaintext of a segment is released only after its tag verified. A consumer MUST call
 * {@link #finish()} at end of input: it fails when no final segment was seen.
 */
public final class StreamOpener {
    private final byte[] aad;
    private final int segmentSize;
    private final SecretKeySpec key;
    private final byte[] nonce = new byte[AeadCore.NONCE_LENGTH];
    private long index;
    private boolean finished;
    private boolean failed;

    /**
     * Reads the header at {@code header[off, off+40)}.
     *
     * @throws MalformedCiphertextException not a stream header of a known version, or an invalid segment size
     */
    public StreamOpener(SecretBytes parentKey, AeadContext context, byte[] header, int off)
            throws MalformedCiphertextException {
        Objects.requireNonNull(parentKey, "parentKey == null");
        Objects.requireNonNull(context, "context == null");
        if (header.length - off < StreamSealer.HEADER_LENGTH) {
            throw new MalformedCiphertextException("encrypted stream is shorter than its "
                    + StreamSealer.HEADER_LENGTH + "-byte header (truncated?)");
        }
        Envelope.checkHeader(header, off, AeadCore.KIND_STREAM);
        int size = ((header[off + 4] & 0xff) << 24) | ((header[off + 5] & 0xff) << 16)
                | ((header[off + 6] & 0xff) << 8) | (header[off + 7] & 0xff);
        try {
            StreamSealer.checkSegmentSize(size);
        } catch (IllegalArgumentException e) {
            throw new MalformedCiphertextException("encrypted stream header: " + e.getMessage());
        }
        this.segmentSize = size;
        byte[] h = Arrays.copyOfRange(header, off, off + StreamSealer.HEADER_LENGTH);
        this.key = AeadCore.objectKey(parentKey, h, 8, AeadCore.KIND_STREAM);
        byte[] ctx = context.encodedNoCopy();
        this.aad = new byte[h.length + ctx.length];
        System.arraycopy(h, 0, aad, 0, h.length);
        System.arraycopy(ctx, 0, aad, h.length, ctx.length);
    }

    /**
     * Opens a whole stream held in memory ({@code sealed[off, off+len)}, header included), as sealed by
     * {@link StreamSealer#sealAll}; any segment size the header allows.
     *
     * @throws CryptoException the stream is malformed, truncated, modified, or belongs to another context
     */
    public static byte[] openAll(SecretBytes parentKey, AeadContext context, byte[] sealed, int off, int len)
            throws org.ciphersync.crypto.CryptoException {
        Objects.checkFromIndexSize(off, len, sealed.length);
        StreamOpener opener = new StreamOpener(parentKey, context, sealed, off);
        long body = len - (long) StreamSealer.HEADER_LENGTH;
        int full = opener.fullSegmentLength();
        long segments = Math.max(1, (body + full - 1) / full);
        long plainLen = body - segments * AeadCore.TAG_LENGTH;
        if (body < AeadCore.TAG_LENGTH || plainLen < 0) {
            throw new AuthenticationFailedException("encrypted stream of " + len + " bytes is truncated");
        }
        byte[] out = new byte[(int) plainLen];
        opener.openToEnd(sealed, off + StreamSealer.HEADER_LENGTH, off + len, out, 0);
        return out;
    }

    /**
     * Like {@link #openAll(SecretBytes, AeadContext, byte[], int, int)}, into {@code dst} from {@code dstOff},
     * which must have room for {@code len} bytes (more than any plaintext of the stream): a caller opening
     * many streams reuses one buffer. Returns the plaintext length; on failure {@code dst} holds garbage.
     */
    public static int openAll(SecretBytes parentKey, AeadContext context, byte[] sealed, int off, int len, byte[] dst, int dstOff)
            throws org.ciphersync.crypto.CryptoException {
        Objects.checkFromIndexSize(off, len, sealed.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        StreamOpener opener = new StreamOpener(parentKey, context, sealed, off);
        if (len - StreamSealer.HEADER_LENGTH < AeadCore.TAG_LENGTH) {
            throw new AuthenticationFailedException("encrypted stream of " + len + " bytes is truncated");
        }
        return opener.openToEnd(sealed, off + StreamSealer.HEADER_LENGTH, off + len, dst, dstOff);
    }

    /**
     * Opens every remaining segment of {@code src[from, end)} (the rest of the stream, which ends at
     * {@code end}) into {@code dst} from {@code dstOff}, then checks the final segment was seen; returns
     * the plaintext length.
     */
    public int openToEnd(byte[] src, int from, int end, byte[] dst, int dstOff) throws AuthenticationFailedException {
        int full = fullSegmentLength();
        int r = from;
        int w = dstOff;
        while (true) {
            boolean last = end - r <= full;
            int n = last ? end - r : full;
            w += openSegment(src, r, n, last, dst, w);
            r += n;
            if (last) {
                break;
            }
        }
        finish();
        return w - dstOff;
    }

    /** Plaintext bytes per non-final segment, from the header. */
    public int segmentSize() {
        return segmentSize;
    }

    /** Ciphertext bytes of a full segment ({@code segmentSize + 16}). */
    public int fullSegmentLength() {
        return segmentSize + AeadCore.TAG_LENGTH;
    }

    /** Segments opened so far. */
    public long segmentsOpened() {
        return index;
    }

    /** True once the final segment was opened. */
    public boolean isFinished() {
        return finished;
    }

    /**
     * Opens the next segment {@code src[off, off+len)} into {@code dst} at {@code dstOff} (room for
     * {@code len - 16}); returns the plaintext length.
     *
     * @param last true when no more input follows this segment
     * @throws AuthenticationFailedException the segment was modified, moved, reordered, truncated,
     *                                       follows the final segment, or the key/context is wrong
     */
    public int openSegment(byte[] src, int off, int len, boolean last, byte[] dst, int dstOff)
            throws AuthenticationFailedException {
        if (failed) {
            throw new AuthenticationFailedException("encrypted stream already failed authentication; start over");
        }
        if (finished) {
            failed = true;
            throw new AuthenticationFailedException("encrypted stream has data after its final segment");
        }
        Objects.checkFromIndexSize(off, len, src.length);
        boolean lengthOk = last ? len >= AeadCore.TAG_LENGTH && len <= fullSegmentLength() : len == fullSegmentLength();
        if (!lengthOk || index >= StreamSealer.MAX_SEGMENTS) {
            failed = true;
            throw new AuthenticationFailedException("encrypted stream segment " + index + " has " + len
                    + " bytes, expected " + (last ? "16.." : "") + fullSegmentLength()
                    + ": the stream was truncated or modified");
        }
        int plainLen = len - AeadCore.TAG_LENGTH;
        Objects.checkFromIndexSize(dstOff, plainLen, dst.length);
        AeadCore.nonce(nonce, index, last);
        Cipher cipher = AeadCore.cipher();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(AeadCore.TAG_BITS, nonce));
            cipher.updateAAD(aad);
            int n = cipher.doFinal(src, off, len, dst, dstOff);
            index++;
            finished = last;
            return n;
        } catch (AEADBadTagException e) {
            failed = true;
            Arrays.fill(dst, dstOff, dstOff + plainLen, (byte) 0);
            throw new AuthenticationFailedException("encrypted stream segment " + index
                    + " failed authentication: the data was modified, truncated, reordered, belongs to another "
                    + "place, or the key is wrong");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed unexpectedly", e);
        }
    }

    /**
     * Call at end of input.
     *
     * @throws AuthenticationFailedException when the final segment was never seen (truncated stream)
     */
    public void finish() throws AuthenticationFailedException {
        if (!finished) {
            failed = true;
            throw new AuthenticationFailedException("encrypted stream ended after " + index
                    + " segments without its final segment: it was truncated");
        }
    }
}
