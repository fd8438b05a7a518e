package org.ciphersync.core.apply;

import java.time.Clock;
import java.util.Objects;
import org.ciphersync.core.chunk.ChunkerParams;

/**
 * How an apply works.
 *
 * @param threads              parallel file writers (concurrent fsyncs share journal commits)
 * @param chunker              chunking of the inventory's fingerprints (to verify copies against them)
 * @param verifyRereadMaxBytes files up to this size are read back after fsync and compared with the
 *                             hash of the bytes written; larger ones are checked by size only
 * @param clock                stamps versions-area names
 */
public record ApplyOptions(int threads, ChunkerParams chunker, long verifyRereadMaxBytes, Clock clock) {
    public ApplyOptions {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads " + threads + " is not within 1..256");
        }
        Objects.requireNonNull(chunker, "chunker == null");
        Objects.requireNonNull(clock, "clock == null");
        if (verifyRereadMaxBytes < 0) {
            throw new IllegalArgumentException("verifyRereadMaxBytes " + verifyRereadMaxBytes + " < 0");
        }
    }

    public static ApplyOptions defaults() {
        return new ApplyOptions(8, ChunkerParams.SYNC, 8L * 1024 * 1024, Clock.systemUTC());
    }

    public ApplyOptions withThreads(int t) {
        return new ApplyOptions(t, chunker, verifyRereadMaxBytes, clock);
    }

    public ApplyOptions withClock(Clock c) {
        return new ApplyOptions(threads, chunker, verifyRereadMaxBytes, c);
    }
}
