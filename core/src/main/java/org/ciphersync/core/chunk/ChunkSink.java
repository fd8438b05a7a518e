package org.ciphersync.core.chunk;

/**
 * Receives each chunk as a {@link Fingerprinter} finds it, in stream order. The vault uses it to
 * compress and encrypt chunks while the file is read once.
 */
@FunctionalInterface
public interface ChunkSink {
    /** Discards every chunk. */
    ChunkSink NONE = (offset, data, dataOffset, length, chunkHash) -> { };

    /**
     * Called once per chunk. {@code data[dataOffset .. dataOffset + length)} holds the chunk's
     * bytes and {@code chunkHash} its SHA-256; both are valid only during the call (the buffers
     * are reused) and MUST NOT be modified.
     *
     * @param offset position of the chunk in the stream
     */
    void chunk(long offset, byte[] data, int dataOffset, int length, byte[] chunkHash) throws java.io.IOException;
}
