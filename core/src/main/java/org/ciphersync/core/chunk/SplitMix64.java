package org.ciphersync.core.chunk;

/**
 * SplitMix64 (Steele, Lea, Flood 2014): the tiny, fully specified generator behind the gear
 * table and the golden-vector inputs. Not for anything secret.
 */
public final class SplitMix64 {
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fills {@code out} with the little-endian bytes of successive {@link #nextLong()} values. */
    public void nextBytes(byte[] out) {
        int i = 0;
        while (i < out.length) {
            long v = nextLong();
            for (int k = 0; k < 8 && i < out.length; k++, i++) {
                out[i] = (byte) (v >>> (8 * k));
            }
        }
    }
}
