package org.ciphersync.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.ciphersync.core.inventory.Fingerprint;
import org.junit.jupiter.api.Test;

/**
 * Chunk boundaries are a format: if any of these tests fails, the chunker changed and every
 * stored chunk index (vault) and cached fingerprint would be invalidated. Do not regenerate the
 * vectors unless that is the intent.
 */
class FastCdcGoldenVectorTest {
    private static final byte[] INPUT = GoldenVectors.input();

    @Test
    void syncParams_boundariesAndHashesMatchGoldenVectors() throws IOException {
        assertThat(GoldenVectors.render(Fingerprinter.ofBytes(INPUT, ChunkerParams.SYNC)))
                .containsExactlyElementsOf(golden("sync"));
    }

    @Test
    void vaultParams_boundariesAndHashesMatchGoldenVectors() throws IOException {
        assertThat(GoldenVectors.render(Fingerprinter.ofBytes(INPUT, ChunkerParams.VAULT)))
                .containsExactlyElementsOf(golden("vault"));
    }

    @Test
    void streamingInTinyReads_givesTheGoldenVectors() throws IOException {
        for (ChunkerParams p : List.of(ChunkerParams.SYNC, ChunkerParams.VAULT)) {
            Fingerprint streamed = new Fingerprinter(p).fingerprint(
                    Channels.newChannel(new TrickleStream(INPUT, 65_537)));
            assertThat(GoldenVectors.render(streamed))
                    .containsExactlyElementsOf(golden(p == ChunkerParams.SYNC ? "sync" : "vault"));
        }
    }

    @Test
    void gearTable_isSplitMix64OfTheDocumentedSeed() {
        long[] t = FastCdc.gearTable();
        assertThat(t).hasSize(256);
        // First values of SplitMix64(0x6369706865727379), pinned independently of the table code.
        SplitMix64 rng = new SplitMix64(0x6369706865727379L);
        assertThat(t[0]).isEqualTo(rng.nextLong());
        assertThat(t[1]).isEqualTo(rng.nextLong());
        assertThat(Arrays.stream(t).distinct().count()).isEqualTo(256);
    }

    @Test
    void splitMix64_matchesTheReferenceOutputForSeedZero() {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        SplitMix64 rng = new SplitMix64(0);
        assertThat(rng.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(rng.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(rng.nextLong()).isEqualTo(0x06C45D188009454FL);
    }

    private static List<String> golden(String name) throws IOException {
        try (InputStream in = FastCdcGoldenVectorTest.class.getResourceAsStream(GoldenVectors.resourceName(name))) {
            assertThat(in).as("golden vector resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#")).toList();
        }
    }

    /** An InputStream that returns at most {@code step} bytes per read, varying the size. */
    static final class TrickleStream extends InputStream {
        private final byte[] data;
        private final int step;
        private int pos;
        private int n;

        TrickleStream(byte[] data, int step) {
            this.data = data;
            this.step = step;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int k = Math.min(Math.min(len, 1 + (n++ * 7919) % step), data.length - pos);
            System.arraycopy(data, pos, b, off, k);
            pos += k;
            return k;
        }
    }
}
