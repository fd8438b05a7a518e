package org.ciphersync.core.apply;

import java.time.Clock;
import java.util.Objects;
import org.ciphersync.core.chunk.ChunkerParams;

/**
 * How an apply works.
 *
 * @param threads              parallel file writers (reading, hashing and writing temporary files)
 * @param chunker              chunking of the inventory's fingerprints (to verify copies against them)
 * @param verifyRereadMaxBytes files up to this size are read back after they are written and
 *                             compared with the hash of the bytes written; larger ones (all, with 0)
 *                             are checked by size only
 * @param clock                stamps versions-area names
 * @param syncThreads          concurrent fsyncs of a batch of written files (they share journal commits)
 * @param batchFiles           files written before the batch is fsynced and renamed into place
 */
public record ApplyOptions(int threads, ChunkerParams chunker, long verifyRereadMaxBytes, Clock clock,
                           int syncThreads, int batchFiles) {
    public static final int DEFAULT_SYNC_THREADS = 64;
    public static final int DEFAULT_BATCH_FILES = 512;

    public ApplyOptions {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads " + threads + " is not within 1..256");
        }
        Objects.requireNonNull(chunker, "chunker == null");
        Objects.requireNonNull(clock, "clock == null");
        if (verifyRereadMaxBytes < 0) {
            throw new IllegalArgumentException("verifyRereadMaxBytes " + verifyRereadMaxBytes + " < 0");
        }
        if (syncThreads < 1 || syncThreads > 1024) {
            throw new IllegalArgumentException("syncThreads " + syncThreads + " is not within 1..1024");
        }
        if (batchFiles < 1) {
            throw new IllegalArgumentException("batchFiles " + batchFiles + " < 1");
        }
    }

    /** With the default fsync concurrency and batch size. */
    public ApplyOptions(int threads, ChunkerParams chunker, long verifyRereadMaxBytes, Clock clock) {
        this(threads, chunker, verifyRereadMaxBytes, clock, DEFAULT_SYNC_THREADS, DEFAULT_BATCH_FILES);
    }

    public static ApplyOptions defaults() {
        return new ApplyOptions(8, ChunkerParams.SYNC, 8L * 1024 * 1024, Clock.systemUTC());
    }

    public ApplyOptions withThreads(int t) {
        return new ApplyOptions(t, chunker, verifyRereadMaxBytes, clock, syncThreads, batchFiles);
    }

    public ApplyOptions withClock(Clock c) {
        return new ApplyOptions(threads, chunker, verifyRereadMaxBytes, c, syncThreads, batchFiles);
    }

    public ApplyOptions withBatch(int files, int concurrentFsyncs) {
        return new ApplyOptions(threads, chunker, verifyRereadMaxBytes, clock, concurrentFsyncs, files);
    }
}
