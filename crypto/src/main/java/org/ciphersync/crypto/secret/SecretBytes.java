package org.ciphersync.crypto.secret;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Key material held in a wipeable array. {@link #close()} overwrites it with zeros; every later
 * use throws {@link IllegalStateException}. {@link #toString()} never prints the bytes, and there
 * is deliberately no content-based {@code equals}: use {@link #constantTimeEquals}.
 *
 * <p>Not thread-safe with respect to {@link #close()}: close a secret only when no other thread
 * uses it.
 */
public final class SecretBytes implements AutoCloseable {
    private final byte[] bytes;
    private volatile boolean wiped;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Takes ownership of {@code bytes} (no copy): the caller MUST NOT use the array afterwards. */
    public static SecretBytes adopt(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes == null");
        return new SecretBytes(bytes);
    }

    /** Copies {@code length} bytes from {@code src}; the caller remains responsible for wiping its array. */
    public static SecretBytes copyOf(byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        return new SecretBytes(Arrays.copyOfRange(src, offset, offset + length));
    }

    /** Copies all of {@code src}. */
    public static SecretBytes copyOf(byte[] src) {
        return copyOf(src, 0, src.length);
    }

    /** {@code length} bytes from {@code random}. */
    public static SecretBytes random(SecureRandom random, int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("secret length " + length + " must be positive");
        }
        byte[] b = new byte[length];
        random.nextBytes(b);
        return new SecretBytes(b);
    }

    /** Number of bytes. Allowed after {@link #close()}. */
    public int length() {
        return bytes.length;
    }

    /**
     * The internal array, without a copy (hot paths hand it to a cipher). The caller MUST NOT
     * modify it, keep it beyond the life of this object, or log it.
     */
    public byte[] expose() {
        checkLive();
        return bytes;
    }

    /** A new independent copy, to be closed separately. */
    public SecretBytes copy() {
        checkLive();
        return new SecretBytes(bytes.clone());
    }

    /** Compares contents in time independent of where they differ. */
    public boolean constantTimeEquals(SecretBytes other) {
        checkLive();
        return MessageDigest.isEqual(bytes, other.expose());
    }

    /** True once {@link #close()} ran. */
    public boolean isWiped() {
        return wiped;
    }

    /** Overwrites the bytes with zeros. Idempotent. */
    @Override
    public void close() {
        Arrays.fill(bytes, (byte) 0);
        wiped = true;
    }

    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes, redacted]";
    }

    private void checkLive() {
        if (wiped) {
            throw new IllegalStateException("this secret was already wiped (closed); derive or load it again");
        }
    }
}
