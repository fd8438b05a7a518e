package org.ciphersync.core.chunk;

import java.util.Objects;

/**
 * FastCDC content-defined chunk boundaries (Xia et al., USENIX ATC 2016) with normalized
 * chunking level 2, over a gear table generated from a fixed seed.
 *
 * <p>Algorithm, for a chunk that starts at {@code from} with {@code n = to - from} bytes
 * available:
 * <ol>
 *   <li>if {@code n <= minSize} the chunk is all {@code n} bytes;</li>
 *   <li>the first {@code minSize} bytes are skipped without hashing; the rolling gear hash
 *       {@code h = (h << 1) + GEAR[byte]} starts at 0 at offset {@code minSize};</li>
 *   <li>up to offset {@code avgSize} a cut is made after the byte where
 *       {@code (h & MASK_S) == 0}, where {@code MASK_S} is the top {@code log2(avgSize) + 2} bits
 *       of the 64-bit hash (harder to hit);</li>
 *   <li>from {@code avgSize} to {@code maxSize} the mask is the top {@code log2(avgSize) - 2}
 *       bits ({@code MASK_L}, easier to hit);</li>
 *   <li>a chunk never exceeds {@code maxSize} bytes.</li>
 * </ol>
 * The top bits are used because bit {@code k} of a gear hash depends on the last {@code k + 1}
 * bytes only; the top bits therefore depend on a 64-byte window.
 *
 * <p>The gear table is 256 values of SplitMix64 seeded with {@link #GEAR_SEED}
 * ({@code 0x6369706865727379}, the ASCII bytes of "ciphersy"). Boundaries are a pure function of
 * the bytes from the chunk's start, so an insertion or deletion changes only the chunks around
 * it: the boundaries after it resynchronize. Changing the table, the masks or
 * {@link ChunkerParams} is a format change; golden vectors pin the boundaries.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FastCdc {
    /** Seed of the SplitMix64 generator that produces the gear table ("ciphersy" in ASCII). */
    public static final long GEAR_SEED = 0x6369706865727379L;

    private static final long[] GEAR = gearTable(GEAR_SEED);

    private final ChunkerParams params;
    private final long maskS;
    private final long maskL;

    public FastCdc(ChunkerParams params) {
        this.params = Objects.requireNonNull(params, "params == null");
        int bits = Integer.numberOfTrailingZeros(params.avgSize());
        if (bits < 3 || bits > 60) {
            throw new IllegalArgumentException("avgSize " + params.avgSize() + " outside 8..2^60");
        }
        this.maskS = -1L << (64 - (bits + 2));
        this.maskL = -1L << (64 - (bits - 2));
    }

    public ChunkerParams params() {
        return params;
    }

    /**
     * Returns the end (exclusive) of the chunk that starts at {@code from}, treating {@code to}
     * as the end of the data. The caller MUST pass either at least {@code maxSize} bytes
     * ({@code to - from >= maxSize}) or all remaining bytes of the stream; otherwise the cut may
     * differ from the one over the whole stream.
     *
     * @return an offset in {@code (from, to]}, or {@code from} when {@code from == to}
     */
    public int nextBoundary(byte[] buf, int from, int to) {
        Objects.checkFromToIndex(from, to, buf.length);
        int n = to - from;
        int min = params.minSize();
        if (n <= min) {
            return to;
        }
        int max = Math.min(n, params.maxSize());
        int normal = Math.min(max, params.avgSize());
        long[] gear = GEAR;
        long h = 0;
        int i = from + min;
        int end = from + normal;
        long m = maskS;
        for (; i < end; i++) {
            h = (h << 1) + gear[buf[i] & 0xff];
            if ((h & m) == 0) {
                return i + 1;
            }
        }
        end = from + max;
        m = maskL;
        for (; i < end; i++) {
            h = (h << 1) + gear[buf[i] & 0xff];
            if ((h & m) == 0) {
                return i + 1;
            }
        }
        return end;
    }

    /** A copy of the gear table (for documentation and tests). */
    public static long[] gearTable() {
        return GEAR.clone();
    }

    private static long[] gearTable(long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        long[] t = new long[256];
        for (int i = 0; i < t.length; i++) {
            t[i] = rng.nextLong();
        }
        return t;
    }
}
