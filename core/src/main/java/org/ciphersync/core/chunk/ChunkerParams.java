package org.ciphersync.core.chunk;

/**
 * Parameters of the content-defined chunker. Changing any of them (or the gear table) changes
 * every chunk boundary, which is a format change: boundaries are pinned by golden vectors.
 *
 * @param minSize smallest chunk (except a file's last chunk)
 * @param avgSize target average chunk size, a power of two
 * @param maxSize largest chunk
 */
public record ChunkerParams(int minSize, int avgSize, int maxSize) {
    /** Sessions and local synchronization: fine-grained, so small edits cost little. */
    public static final ChunkerParams SYNC = new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024);
    /** The vault: ≈1 MiB chunks, so the index stays small for large trees. */
    public static final ChunkerParams VAULT = new ChunkerParams(256 * 1024, 1024 * 1024, 4 * 1024 * 1024);

    public ChunkerParams {
        if (Integer.bitCount(avgSize) != 1) {
            throw new IllegalArgumentException("avgSize " + avgSize + " is not a power of two");
        }
        if (!(0 < minSize && minSize < avgSize && avgSize < maxSize)) {
            throw new IllegalArgumentException("need 0 < minSize < avgSize < maxSize, got "
                    + minSize + ", " + avgSize + ", " + maxSize);
        }
    }
}
