package org.ciphersync.core.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import org.ciphersync.core.inventory.Fingerprint;

/**
 * Computes a {@link Fingerprint}: reads a stream once, cuts it with {@link FastCdc}, hashes each
 * chunk with SHA-256 and the concatenated chunk hashes with SHA-256 for the file hash.
 *
 * <p>The channel MUST be blocking. An instance reuses its buffer (2 × {@code maxSize}, at least 1 MiB) and digests across
 * calls and is therefore NOT thread-safe: use one per thread. The static methods allocate a
 * fresh instance.
 */
public final class Fingerprinter {
    private static final int MIN_BUFFER = 1 << 20;

    private final FastCdc cdc;
    private final byte[] buf;
    private final MessageDigest chunkDigest = sha256();
    private final MessageDigest fileDigest = sha256();
    private final byte[] hash = new byte[Fingerprint.HASH_LENGTH];
    private long bytesRead;

    public Fingerprinter(ChunkerParams params) {
        this.cdc = new FastCdc(params);
        this.buf = new byte[Math.max(MIN_BUFFER, 2 * params.maxSize())];
    }

    public ChunkerParams params() {
        return cdc.params();
    }

    /** Fingerprints {@code in} read to its end (the channel is not closed). */
    public static Fingerprint fingerprint(ReadableByteChannel in, ChunkerParams p) throws IOException {
        return new Fingerprinter(p).fingerprint(in);
    }

    /** Fingerprints a byte array. */
    public static Fingerprint ofBytes(byte[] data, ChunkerParams p) {
        return new Fingerprinter(p).fingerprint(data);
    }

    /** Fingerprints {@code in} read to its end (the channel is not closed). */
    public Fingerprint fingerprint(ReadableByteChannel in) throws IOException {
        return fingerprint(in, ChunkSink.NONE);
    }

    /** Total bytes this instance has read since it was created. */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * Fingerprints {@code in} read to its end, handing each chunk to {@code sink} as it is found.
     * An exception from the sink aborts the run and propagates.
     */
    public Fingerprint fingerprint(ReadableByteChannel in, ChunkSink sink) throws IOException {
        Objects.requireNonNull(in, "in == null");
        Objects.requireNonNull(sink, "sink == null");
        chunkDigest.reset();
        fileDigest.reset();
        Builder out = new Builder();
        int max = cdc.params().maxSize();
        int start = 0; // first byte of the next chunk
        int limit = 0; // end of valid data
        long streamOffset = 0;
        boolean eof = false;
        ByteBuffer bb = ByteBuffer.wrap(buf);
        while (true) {
            // Fill until at least maxSize bytes are available or the stream ends.
            if (!eof && limit - start < max) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, limit - start);
                    limit -= start;
                    start = 0;
                }
                bb.limit(buf.length).position(limit);
                while (bb.hasRemaining()) {
                    int r = in.read(bb);
                    if (r < 0) {
                        eof = true;
                        break;
                    }
                    if (r == 0 && bb.position() - start >= max) {
                        break; // a channel that returns 0: use what we have (enough for one cut)
                    }
                }
                bytesRead += bb.position() - limit;
                limit = bb.position();
            }
            if (start == limit) {
                break;
            }
            int end = cdc.nextBoundary(buf, start, eof ? limit : Math.min(limit, start + max));
            emit(out, sink, streamOffset, start, end - start);
            streamOffset += end - start;
            start = end;
        }
        return out.build(fileDigest);
    }

    /** Fingerprints a byte array, reusing this instance's digests. */
    public Fingerprint fingerprint(byte[] data) {
        Objects.requireNonNull(data, "data == null");
        chunkDigest.reset();
        fileDigest.reset();
        Builder out = new Builder();
        int start = 0;
        try {
            while (start < data.length) {
                int end = cdc.nextBoundary(data, start, data.length);
                chunkHash(data, start, end - start);
                out.add(end - start, hash, fileDigest);
                start = end;
            }
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 failed", e);
        }
        bytesRead += data.length;
        return out.build(fileDigest);
    }

    private void emit(Builder out, ChunkSink sink, long offset, int from, int len) throws IOException {
        try {
            chunkHash(buf, from, len);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 failed", e);
        }
        out.add(len, hash, fileDigest);
        sink.chunk(offset, buf, from, len, hash);
    }

    private void chunkHash(byte[] data, int from, int len) throws DigestException {
        chunkDigest.update(data, from, len);
        chunkDigest.digest(hash, 0, hash.length);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Growable packed arrays for one fingerprint. */
    private static final class Builder {
        private int[] lengths = new int[8];
        private byte[] hashes = new byte[8 * Fingerprint.HASH_LENGTH];
        private int count;

        void add(int length, byte[] h, MessageDigest fileDigest) {
            if (count == lengths.length) {
                lengths = Arrays.copyOf(lengths, count * 2);
                hashes = Arrays.copyOf(hashes, count * 2 * Fingerprint.HASH_LENGTH);
            }
            lengths[count] = length;
            System.arraycopy(h, 0, hashes, count * Fingerprint.HASH_LENGTH, Fingerprint.HASH_LENGTH);
            fileDigest.update(h, 0, Fingerprint.HASH_LENGTH);
            count++;
        }

        Fingerprint build(MessageDigest fileDigest) {
            byte[] fileHash = fileDigest.digest();
            return new Fingerprint(fileHash, Arrays.copyOf(lengths, count),
                    Arrays.copyOf(hashes, count * Fingerprint.HASH_LENGTH));
        }
    }
}
