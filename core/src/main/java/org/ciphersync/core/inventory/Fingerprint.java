package org.ciphersync.core.inventory;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The content of one file: its content-defined chunks (lengths and hashes, in file order) and a
 * hash of the whole file. Stored packed (one {@code int[]} and one {@code byte[]}) so that an
 * inventory of a million files stays small.
 *
 * <p>Hashes: each chunk hash is SHA-256 of the chunk's bytes; the file hash is SHA-256 over the
 * concatenated chunk hashes, so content is read and hashed once. Chunking is deterministic for
 * given {@code ChunkerParams}, so under the same parameters two files have equal content exactly
 * when their {@link #fileHash()} are equal (an empty file has no chunks; its hash is SHA-256 of
 * nothing).
 *
 * @param fileHash     hash of the whole content ({@link #HASH_LENGTH} bytes)
 * @param chunkLengths length of each chunk, in order; their sum is the file size
 * @param chunkHashes  the chunks' hashes concatenated ({@code HASH_LENGTH * chunkCount()} bytes)
 */
public record Fingerprint(byte[] fileHash, int[] chunkLengths, byte[] chunkHashes) {
    public static final int HASH_LENGTH = 32;

    public Fingerprint {
        Objects.requireNonNull(fileHash, "fileHash == null");
        Objects.requireNonNull(chunkLengths, "chunkLengths == null");
        Objects.requireNonNull(chunkHashes, "chunkHashes == null");
        if (fileHash.length != HASH_LENGTH) {
            throw new IllegalArgumentException("fileHash length " + fileHash.length + " != " + HASH_LENGTH);
        }
        if (chunkHashes.length != chunkLengths.length * HASH_LENGTH) {
            throw new IllegalArgumentException("chunkHashes length " + chunkHashes.length
                    + " does not match " + chunkLengths.length + " chunks");
        }
    }

    public int chunkCount() {
        return chunkLengths.length;
    }

    public long size() {
        long s = 0;
        for (int l : chunkLengths) {
            s += l;
        }
        return s;
    }

    /** Copy of chunk {@code i}'s hash. */
    public byte[] chunkHash(int i) {
        Objects.checkIndex(i, chunkLengths.length);
        return Arrays.copyOfRange(chunkHashes, i * HASH_LENGTH, (i + 1) * HASH_LENGTH);
    }

    public String fileHashHex() {
        return HexFormat.of().formatHex(fileHash);
    }

    public boolean sameContent(Fingerprint other) {
        return other != null && Arrays.equals(fileHash, other.fileHash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && Arrays.equals(fileHash, f.fileHash)
                && Arrays.equals(chunkLengths, f.chunkLengths) && Arrays.equals(chunkHashes, f.chunkHashes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fileHash);
    }

    @Override
    public String toString() {
        return "Fingerprint[" + fileHashHex().substring(0, 16) + "…, chunks=" + chunkLengths.length + "]";
    }
}
