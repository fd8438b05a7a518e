package org.ciphersync.vault.tree;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The id of a blob (a chunk or a tree) inside a namespace: a keyed hash of its content, 32 bytes.
 * Immutable (the array is copied in and out).
 */
public final class BlobId implements Comparable<BlobId> {
    public static final int LENGTH = 32;

    private final byte[] bytes;
    private final int hash;

    private BlobId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static BlobId of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes == null");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("blob id of " + bytes.length + " bytes, expected " + LENGTH);
        }
        return new BlobId(bytes.clone());
    }

    public static BlobId of(byte[] buf, int offset) {
        Objects.checkFromIndexSize(offset, LENGTH, buf.length);
        return new BlobId(Arrays.copyOfRange(buf, offset, offset + LENGTH));
    }

    public static BlobId parse(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the 32 bytes into {@code out} at {@code offset}. */
    public void copyTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, LENGTH);
    }

    /** Compares this id with the 32 bytes of {@code buf} at {@code offset}, unsigned, like {@link #compareTo}. */
    public int compareTo(byte[] buf, int offset) {
        return Arrays.compareUnsigned(bytes, 0, LENGTH, buf, offset, offset + LENGTH);
    }

    /** The first {@code bits} (at most 16) bits as a non-negative number. */
    public int prefix(int bits) {
        return ((bytes[0] & 0xff) << 8 | (bytes[1] & 0xff)) >>> (16 - bits);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobId b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(BlobId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex().substring(0, 16);
    }
}
