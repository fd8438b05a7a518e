package org.ciphersync.crypto.aead;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * Encrypts one large object as a STREAM of fixed-size AES-256-GCM segments (Hoang, Reyhanitabar,
 * Rogaway, Vizár 2015): each segment's nonce carries its index and a final flag, so truncation,
 * reordering, duplication and splicing are detected by {@link StreamOpener}.
 *
 * <pre>
 * header (40 bytes): "cs" ‖ 0x01 ‖ 'S' ‖ segment size u32 ‖ object salt (32 random bytes)
 * segment i:         AES-GCM(objectKey, 0…0 ‖ i u32 ‖ final u8, AAD = header ‖ context, plaintext_i) ‖ tag
 * </pre>
 *
 * Every segment except the last has exactly {@link #segmentSize()} plaintext bytes; the last has
 * 0..segmentSize (an empty object is one empty final segment). Usage: write {@link #header()},
 * then call {@link #sealSegment} for each segment, the last one with {@code last = true}.
 * Buffer-oriented: output goes into caller buffers, no allocation per segment beyond the JCE's
 * parameter object. One instance per object; not thread-safe.
 */
public final class StreamSealer {
    /** Default plaintext segment size: 64 KiB (also the largest piece fed to the cipher). */
    public static final int DEFAULT_SEGMENT_SIZE = 64 * 1024;
    public static final int MIN_SEGMENT_SIZE = 4 * 1024;
    public static final int MAX_SEGMENT_SIZE = 1024 * 1024;
    /** Header bytes before the first segment. */
    public static final int HEADER_LENGTH = 8 + AeadCore.SALT_LENGTH;
    /** Bytes each segment adds. */
    public static final int TAG_LENGTH = AeadCore.TAG_LENGTH;
    /** Most segments one stream may have (32-bit index). */
    public static final long MAX_SEGMENTS = 1L << 32;

    private final byte[] header = new byte[HEADER_LENGTH];
    private final byte[] aad;
    private final int segmentSize;
    private final SecretKeySpec key;
    private final byte[] nonce = new byte[AeadCore.NONCE_LENGTH];
    private long index;
    private boolean finished;

    /** A sealer with the default segment size and a shared {@code SecureRandom}. */
    public StreamSealer(SecretBytes parentKey, AeadContext context) {
        this(parentKey, context, DEFAULT_SEGMENT_SIZE, AeadCore.RANDOM);
    }

    /**
     * @param parentKey   32-byte key under which per-object keys are derived (not retained)
     * @param context     where the object belongs
     * @param segmentSize power of two, {@value #MIN_SEGMENT_SIZE}..{@value #MAX_SEGMENT_SIZE}
     * @param random      source of the object salt
     */
    public StreamSealer(SecretBytes parentKey, AeadContext context, int segmentSize, SecureRandom random) {
        Objects.requireNonNull(parentKey, "parentKey == null");
        Objects.requireNonNull(context, "context == null");
        checkSegmentSize(segmentSize);
        if (parentKey.length() != 32) {
            throw new IllegalArgumentException("parent key length " + parentKey.length() + " != 32");
        }
        this.segmentSize = segmentSize;
        header[0] = AeadCore.MAGIC0;
        header[1] = AeadCore.MAGIC1;
        header[2] = AeadCore.VERSION;
        header[3] = AeadCore.KIND_STREAM;
        header[4] = (byte) (segmentSize >>> 24);
        header[5] = (byte) (segmentSize >>> 16);
        header[6] = (byte) (segmentSize >>> 8);
        header[7] = (byte) segmentSize;
        byte[] salt = new byte[AeadCore.SALT_LENGTH];
        random.nextBytes(salt);
        System.arraycopy(salt, 0, header, 8, salt.length);
        this.key = AeadCore.objectKey(parentKey, header, 8, AeadCore.KIND_STREAM);
        byte[] ctx = context.encodedNoCopy();
        this.aad = new byte[HEADER_LENGTH + ctx.length];
        System.arraycopy(header, 0, aad, 0, HEADER_LENGTH);
        System.arraycopy(ctx, 0, aad, HEADER_LENGTH, ctx.length);
    }

    static void checkSegmentSize(int segmentSize) {
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE || Integer.bitCount(segmentSize) != 1) {
            throw new IllegalArgumentException("segment size " + segmentSize + " must be a power of two in "
                    + MIN_SEGMENT_SIZE + ".." + MAX_SEGMENT_SIZE);
        }
    }

    /**
     * Seals {@code plain[off, off+len)} whole as one stream of {@link #DEFAULT_SEGMENT_SIZE}-byte segments
     * (header included): for a large message held in memory, many small GCM operations are much faster
     * than one (the JDK's GCM takes a slow path for very large single messages).
     */
    public static byte[] sealAll(SecretBytes parentKey, AeadContext context, byte[] plain, int off, int len) {
        Objects.checkFromIndexSize(off, len, plain.length);
        long total = sealedLength(len, DEFAULT_SEGMENT_SIZE);
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a message of " + len + " bytes is too large to seal in memory");
        }
        byte[] out = new byte[(int) total];
        StreamSealer sealer = new StreamSealer(parentKey, context);
        int w = sealer.writeHeader(out, 0);
        int r = off;
        int end = off + len;
        while (end - r > DEFAULT_SEGMENT_SIZE) {
            w += sealer.sealSegment(plain, r, DEFAULT_SEGMENT_SIZE, false, out, w);
            r += DEFAULT_SEGMENT_SIZE;
        }
        sealer.sealSegment(plain, r, end - r, true, out, w);
        return out;
    }

    /** Total stream length (header and tags included) for a plaintext of {@code plaintextLength} bytes. */
    public static long sealedLength(long plaintextLength, int segmentSize) {
        checkSegmentSize(segmentSize);
        if (plaintextLength < 0) {
            throw new IllegalArgumentException("plaintext length " + plaintextLength + " is negative");
        }
        long segments = plaintextLength == 0 ? 1 : (plaintextLength + segmentSize - 1) / segmentSize;
        return HEADER_LENGTH + plaintextLength + segments * TAG_LENGTH;
    }

    /** The 40-byte header (a copy) to write before the first segment. */
    public byte[] header() {
        return header.clone();
    }

    /** Copies the header into {@code dst} and returns {@link #HEADER_LENGTH}. */
    public int writeHeader(byte[] dst, int dstOff) {
        System.arraycopy(header, 0, dst, dstOff, HEADER_LENGTH);
        return HEADER_LENGTH;
    }

    public int segmentSize() {
        return segmentSize;
    }

    /** Number of segments sealed so far. */
    public long segmentsSealed() {
        return index;
    }

    /** True after the final segment was sealed. */
    public boolean isFinished() {
        return finished;
    }

    /**
     * Seals the next segment {@code src[off, off+len)} into {@code dst} at {@code dstOff} (room for
     * {@code len + 16}); returns {@code len + 16}.
     *
     * @param last true for the final segment; a non-final segment MUST have exactly
     *             {@link #segmentSize()} bytes, the final one at most that
     * @throws IllegalStateException after the final segment, or beyond 2^32 segments
     */
    public int sealSegment(byte[] src, int off, int len, boolean last, byte[] dst, int dstOff) {
        if (finished) {
            throw new IllegalStateException("the final segment was already sealed");
        }
        if (last ? len > segmentSize || len < 0 : len != segmentSize) {
            throw new IllegalArgumentException((last ? "final" : "non-final") + " segment " + index + " has " + len
                    + " bytes; segment size is " + segmentSize);
        }
        if (index >= MAX_SEGMENTS) {
            throw new IllegalStateException("stream exceeds " + MAX_SEGMENTS + " segments");
        }
        Objects.checkFromIndexSize(off, len, src.length);
        Objects.checkFromIndexSize(dstOff, len + TAG_LENGTH, dst.length);
        AeadCore.nonce(nonce, index, last);
        Cipher cipher = AeadCore.cipher();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(AeadCore.TAG_BITS, nonce));
            cipher.updateAAD(aad);
            int n = AeadCore.encryptPieces(cipher, src, off, len, dst, dstOff);
            index++;
            finished = last;
            return n;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed unexpectedly", e);
        }
    }
}
