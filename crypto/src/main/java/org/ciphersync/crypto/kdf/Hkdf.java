package org.ciphersync.crypto.kdf;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * HKDF-SHA-256 (RFC 5869) through Bouncy Castle's {@code HKDFBytesGenerator}, plus the labelled
 * derivation used by the key hierarchy: {@code child = Expand(parent, label ‖ 0x00 ‖ lp16(context), 32)}.
 * Parents are uniformly random 32-byte keys, so they serve directly as PRK (RFC 5869 §3.3).
 */
public final class Hkdf {
    /** Length of derived keys and of the PRK. */
    public static final int KEY_LENGTH = 32;
    /** Largest output of one expansion (255 × hash length). */
    public static final int MAX_OUTPUT = 255 * 32;
    /** Largest context accepted by {@link #info}. */
    public static final int MAX_CONTEXT = 1024;

    private Hkdf() {
    }

    /** HKDF-Extract: PRK = HMAC-SHA-256(salt, ikm); an empty or null salt means 32 zero bytes. */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        Objects.requireNonNull(ikm, "ikm == null");
        HKDFBytesGenerator gen = new HKDFBytesGenerator(new SHA256Digest());
        return gen.extractPRK(salt == null || salt.length == 0 ? null : salt, ikm);
    }

    /** HKDF-Expand into {@code out[off, off+len)}. {@code prk} MUST be at least 32 bytes. */
    public static void expand(byte[] prk, byte[] info, byte[] out, int off, int len) {
        Objects.requireNonNull(prk, "prk == null");
        if (prk.length < KEY_LENGTH) {
            throw new IllegalArgumentException("prk length " + prk.length + " is below " + KEY_LENGTH);
        }
        if (len < 0 || len > MAX_OUTPUT) {
            throw new IllegalArgumentException("output length " + len + " outside 0.." + MAX_OUTPUT);
        }
        Objects.checkFromIndexSize(off, len, out.length);
        HKDFBytesGenerator gen = new HKDFBytesGenerator(new SHA256Digest());
        gen.init(HKDFParameters.skipExtractParameters(prk, info == null ? new byte[0] : info));
        gen.generateBytes(out, off, len);
    }

    /** Extract then expand: the full RFC 5869 function. */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int len) {
        byte[] prk = extract(salt, ikm);
        try {
            byte[] out = new byte[len];
            expand(prk, info, out, 0, len);
            return out;
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    /** The info string {@code label ‖ 0x00 ‖ u16 length ‖ context}. */
    public static byte[] info(KeyLabel label, byte[] context) {
        Objects.requireNonNull(label, "label == null");
        byte[] ctx = context == null ? new byte[0] : context;
        if (ctx.length > MAX_CONTEXT) {
            throw new IllegalArgumentException("context length " + ctx.length + " exceeds " + MAX_CONTEXT);
        }
        byte[] l = label.bytes();
        byte[] info = new byte[l.length + 3 + ctx.length];
        System.arraycopy(l, 0, info, 0, l.length);
        info[l.length] = 0;
        info[l.length + 1] = (byte) (ctx.length >>> 8);
        info[l.length + 2] = (byte) ctx.length;
        System.arraycopy(ctx, 0, info, l.length + 3, ctx.length);
        return info;
    }

    /** A 32-byte child key of {@code parent} for {@code label} and {@code context} (may be empty). */
    public static SecretBytes deriveKey(SecretBytes parent, KeyLabel label, byte[] context) {
        byte[] out = new byte[KEY_LENGTH];
        expand(parent.expose(), info(label, context), out, 0, KEY_LENGTH);
        return SecretBytes.adopt(out);
    }
}
