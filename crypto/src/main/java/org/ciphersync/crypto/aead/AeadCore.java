package org.ciphersync.crypto.aead;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.ciphersync.crypto.kdf.Hkdf;
import org.ciphersync.crypto.kdf.KeyLabel;
import org.ciphersync.crypto.secret.SecretBytes;

/** Shared pieces of the envelope and stream formats (package-private). */
final class AeadCore {
    static final byte MAGIC0 = 0x63; // 'c'
    static final byte MAGIC1 = 0x73; // 's'
    static final byte VERSION = 0x01;
    static final byte KIND_ENVELOPE = 0x45; // 'E'
    static final byte KIND_STREAM = 0x53; // 'S'
    static final int SALT_LENGTH = 32;
    static final int TAG_LENGTH = 16;
    static final int TAG_BITS = 128;
    static final int NONCE_LENGTH = 12;
    /** Largest piece handed to one Cipher.update call (AES-GCM warm-up trap). */
    static final int PIECE = 64 * 1024;

    private AeadCore() {
    }

    /** objectKey = HKDF(salt = objectSalt, IKM = parent, info = AEAD_OBJECT label ‖ kind). */
    static SecretKeySpec objectKey(SecretBytes parent, byte[] header, int saltOffset, byte kind) {
        byte[] salt = Arrays.copyOfRange(header, saltOffset, saltOffset + SALT_LENGTH);
        byte[] prk = Hkdf.extract(salt, parent.expose());
        byte[] key = new byte[32];
        try {
            Hkdf.expand(prk, Hkdf.info(KeyLabel.AEAD_OBJECT, new byte[] {kind}), key, 0, 32);
            return new SecretKeySpec(key, "AES");
        } finally {
            Arrays.fill(prk, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    /** nonce = 0x00 × 7 ‖ index u32 ‖ final flag. */
    static void nonce(byte[] nonce, long index, boolean last) {
        Arrays.fill(nonce, 0, 7, (byte) 0);
        nonce[7] = (byte) (index >>> 24);
        nonce[8] = (byte) (index >>> 16);
        nonce[9] = (byte) (index >>> 8);
        nonce[10] = (byte) index;
        nonce[11] = (byte) (last ? 1 : 0);
    }

    /** Shared source of object salts for callers that do not bring their own (thread-safe). */
    static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One AES-GCM {@code Cipher} per thread. Safe to share between envelopes, sealers and openers
     * of a thread because every use is self-contained (init, AAD, doFinal) and none nests another;
     * fetched per call, so an object handed to another thread uses that thread's cipher. Saves a
     * {@code Cipher.getInstance} (several microseconds) per object.
     */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JDK", e);
        }
    });

    static Cipher cipher() {
        return CIPHER.get();
    }

    /** Encrypts src into dst feeding the cipher in pieces of at most {@link #PIECE}; returns bytes written. */
    static int encryptPieces(Cipher cipher, byte[] src, int off, int len, byte[] dst, int dstOff)
            throws GeneralSecurityException {
        int written = 0;
        int done = 0;
        while (len - done > PIECE) {
            written += cipher.update(src, off + done, PIECE, dst, dstOff + written);
            done += PIECE;
        }
        written += cipher.doFinal(src, off + done, len - done, dst, dstOff + written);
        return written;
    }
}
