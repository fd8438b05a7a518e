package org.ciphersync.crypto.aead;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
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
 * One-shot authenticated encryption of a whole message (chunk, index blob, wrapped key) with
 * AES-256-GCM under a key derived for this message alone.
 *
 * <pre>
 * 0  2  magic "cs"     2  1  version 0x01     3  1  kind 'E' (0x45)
 * 4  32 object salt (random)                  36 n  ciphertext     36+n 16 tag
 * </pre>
 *
 * objectKey = HKDF(salt, parent key, "ciphersync/v1/aead/object" ‖ 'E'); nonce = 0…0 ‖ 0 ‖ 0x01;
 * AAD = header (36 bytes) ‖ {@link AeadContext#encode()}. Plaintext enters the cipher in pieces
 * of ≤ 64 KiB. For objects beyond a few MiB use {@link StreamSealer} (bounded memory on open).
 *
 * <p>An instance keeps the parent key and scratch buffers; it is NOT thread-safe (use one per
 * thread). The AES-GCM {@code Cipher} is one per thread, shared with the stream classes. It does
 * not own the parent key: closing the key is the caller's business.
 */
public final class Envelope {
    /** Header bytes before the ciphertext. */
    public static final int HEADER_LENGTH = 4 + AeadCore.SALT_LENGTH;
    /** GCM tag bytes after the ciphertext. */
    public static final int TAG_LENGTH = AeadCore.TAG_LENGTH;
    /** Total bytes an envelope adds to its plaintext. */
    public static final int OVERHEAD = HEADER_LENGTH + TAG_LENGTH;

    private final SecretBytes parentKey;
    private final SecureRandom random;
    private final byte[] header = new byte[HEADER_LENGTH];
    private final byte[] nonce = new byte[AeadCore.NONCE_LENGTH];
    private final byte[] saltScratch = new byte[AeadCore.SALT_LENGTH];

    /** Uses a shared {@code SecureRandom} for object salts. */
    public Envelope(SecretBytes parentKey) {
        this(parentKey, AeadCore.RANDOM);
    }

    public Envelope(SecretBytes parentKey, SecureRandom random) {
        this.parentKey = Objects.requireNonNull(parentKey, "parentKey == null");
        this.random = Objects.requireNonNull(random, "random == null");
        if (parentKey.length() != 32) {
            throw new IllegalArgumentException("parent key length " + parentKey.length() + " != 32");
        }
    }

    /** Envelope length for a plaintext of {@code plaintextLength} bytes. */
    public static int sealedLength(int plaintextLength) {
        if (plaintextLength < 0 || plaintextLength > Integer.MAX_VALUE - OVERHEAD) {
            throw new IllegalArgumentException("plaintext length " + plaintextLength + " out of range");
        }
        return plaintextLength + OVERHEAD;
    }

    /** Plaintext length of an envelope of {@code envelopeLength} bytes (negative when too short). */
    public static int openedLength(int envelopeLength) {
        return envelopeLength - OVERHEAD;
    }

    /**
     * Seals {@code src[off, off+len)} into {@code dst} at {@code dstOff}, which MUST have room for
     * {@link #sealedLength}(len) bytes. Returns the bytes written. {@code src} and {@code dst}
     * MUST NOT overlap.
     */
    public int seal(AeadContext context, byte[] src, int off, int len, byte[] dst, int dstOff) {
        Objects.requireNonNull(context, "context == null");
        Objects.checkFromIndexSize(off, len, src.length);
        Objects.checkFromIndexSize(dstOff, sealedLength(len), dst.length);
        header[0] = AeadCore.MAGIC0;
        header[1] = AeadCore.MAGIC1;
        header[2] = AeadCore.VERSION;
        header[3] = AeadCore.KIND_ENVELOPE;
        random.nextBytes(saltScratch);
        System.arraycopy(saltScratch, 0, header, 4, AeadCore.SALT_LENGTH);
        SecretKeySpec key = AeadCore.objectKey(parentKey, header, 4, AeadCore.KIND_ENVELOPE);
        AeadCore.nonce(nonce, 0, true);
        Cipher cipher = AeadCore.cipher();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(AeadCore.TAG_BITS, nonce));
            cipher.updateAAD(header);
            cipher.updateAAD(context.encodedNoCopy());
            System.arraycopy(header, 0, dst, dstOff, HEADER_LENGTH);
            return HEADER_LENGTH + AeadCore.encryptPieces(cipher, src, off, len, dst, dstOff + HEADER_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed unexpectedly", e);
        }
    }

    /** Seals {@code plaintext} into a new array. */
    public byte[] seal(AeadContext context, byte[] plaintext) {
        byte[] out = new byte[sealedLength(plaintext.length)];
        seal(context, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    /**
     * Opens {@code src[off, off+len)} into {@code dst} at {@code dstOff} (room for
     * {@link #openedLength}(len) bytes). Returns the plaintext length. On failure nothing of the
     * plaintext is left in {@code dst}.
     *
     * @throws MalformedCiphertextException   not an envelope of a version this code knows
     * @throws AuthenticationFailedException data modified, wrong context or wrong key
     */
    public int open(AeadContext context, byte[] src, int off, int len, byte[] dst, int dstOff)
            throws MalformedCiphertextException, AuthenticationFailedException {
        Objects.requireNonNull(context, "context == null");
        Objects.checkFromIndexSize(off, len, src.length);
        if (len < OVERHEAD) {
            throw new MalformedCiphertextException("encrypted object is " + len + " bytes, shorter than the minimum "
                    + OVERHEAD + " (truncated?)");
        }
        checkHeader(src, off, AeadCore.KIND_ENVELOPE);
        int plainLen = len - OVERHEAD;
        Objects.checkFromIndexSize(dstOff, plainLen, dst.length);
        System.arraycopy(src, off, header, 0, HEADER_LENGTH);
        SecretKeySpec key = AeadCore.objectKey(parentKey, header, 4, AeadCore.KIND_ENVELOPE);
        AeadCore.nonce(nonce, 0, true);
        Cipher cipher = AeadCore.cipher();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(AeadCore.TAG_BITS, nonce));
            cipher.updateAAD(header);
            cipher.updateAAD(context.encodedNoCopy());
            return cipher.doFinal(src, off + HEADER_LENGTH, len - HEADER_LENGTH, dst, dstOff);
        } catch (AEADBadTagException e) {
            Arrays.fill(dst, dstOff, dstOff + plainLen, (byte) 0);
            throw new AuthenticationFailedException("encrypted object failed authentication: the data was modified, "
                    + "belongs to another place, or the key is wrong");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed unexpectedly", e);
        }
    }

    /** Opens an envelope into a new array. */
    public byte[] open(AeadContext context, byte[] envelope)
            throws MalformedCiphertextException, AuthenticationFailedException {
        if (envelope.length < OVERHEAD) {
            throw new MalformedCiphertextException("encrypted object is " + envelope.length
                    + " bytes, shorter than the minimum " + OVERHEAD + " (truncated?)");
        }
        byte[] out = new byte[envelope.length - OVERHEAD];
        open(context, envelope, 0, envelope.length, out, 0);
        return out;
    }

    static void checkHeader(byte[] src, int off, byte kind) throws MalformedCiphertextException {
        if (src[off] != AeadCore.MAGIC0 || src[off + 1] != AeadCore.MAGIC1) {
            throw new MalformedCiphertextException("not a ciphersync encrypted object (bad magic bytes)");
        }
        if (src[off + 2] != AeadCore.VERSION) {
            throw new MalformedCiphertextException("encrypted object has format version " + (src[off + 2] & 0xff)
                    + "; this ciphersync reads version 1 (a newer ciphersync may be needed)");
        }
        if (src[off + 3] != kind) {
            throw new MalformedCiphertextException("encrypted object is of kind '" + (char) (src[off + 3] & 0xff)
                    + "', expected '" + (char) kind + "'");
        }
    }
}
