package org.ciphersync.crypto.hash;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * Keyed content hash for chunk IDs: {@code HMAC-SHA-256(chunk-ID key, content)}, 32 bytes. Storage
 * that sees chunk IDs cannot compute the ID of a known file's chunks without the key, so it cannot
 * confirm that a user stores that file; deduplication still works under one key.
 *
 * <p>Reuses one {@link Mac}; {@link #hashInto} writes into a caller buffer without allocating.
 * Not thread-safe: one instance per thread.
 */
public final class KeyedHasher {
    /** Length of a hash. */
    public static final int LENGTH = 32;

    private final Mac mac;

    /** @param key the namespace's chunk-ID key (32 bytes); not retained by this object beyond the JCE key copy */
    public KeyedHasher(SecretBytes key) {
        Objects.requireNonNull(key, "key == null");
        if (key.length() != 32) {
            throw new IllegalArgumentException("chunk-ID key length " + key.length() + " != 32");
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.expose(), "HmacSHA256"));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("chunk-ID key refused by HmacSHA256", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    /** Hash of {@code data[off, off+len)} written to {@code out[outOff, outOff+32)}. */
    public void hashInto(byte[] data, int off, int len, byte[] out, int outOff) {
        Objects.checkFromIndexSize(off, len, data.length);
        Objects.checkFromIndexSize(outOff, LENGTH, out.length);
        mac.update(data, off, len);
        try {
            mac.doFinal(out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hash of {@code data[off, off+len)} in a new array. */
    public byte[] hash(byte[] data, int off, int len) {
        byte[] out = new byte[LENGTH];
        hashInto(data, off, len, out, 0);
        return out;
    }

    /** Hash of all of {@code data}. */
    public byte[] hash(byte[] data) {
        return hash(data, 0, data.length);
    }

    /** Incremental use: feed content in pieces, then {@link #finishInto}. */
    public void update(byte[] data, int off, int len) {
        mac.update(data, off, len);
    }

    /** Completes an incremental hash started with {@link #update}; the hasher is ready for the next one. */
    public void finishInto(byte[] out, int outOff) {
        Objects.checkFromIndexSize(outOff, LENGTH, out.length);
        try {
            mac.doFinal(out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
