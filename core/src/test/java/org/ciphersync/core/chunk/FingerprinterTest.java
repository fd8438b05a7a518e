package org.ciphersync.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import org.ciphersync.core.inventory.Fingerprint;
import org.junit.jupiter.api.Test;

class FingerprinterTest {

    @Test
    void emptyInput_hasNoChunksAndTheHashOfNothing() throws Exception {
        Fingerprint fp = Fingerprinter.ofBytes(new byte[0], ChunkerParams.SYNC);
        assertThat(fp.chunkCount()).isZero();
        assertThat(fp.fileHash()).isEqualTo(MessageDigest.getInstance("SHA-256").digest());
        assertThat(Fingerprinter.fingerprint(Channels.newChannel(new ByteArrayInputStream(new byte[0])), ChunkerParams.SYNC))
                .isEqualTo(fp);
    }

    @Test
    void inputShorterThanMinSize_isOneChunk() throws Exception {
        byte[] data = "hello".getBytes();
        Fingerprint fp = Fingerprinter.ofBytes(data, ChunkerParams.SYNC);
        assertThat(fp.chunkLengths()).containsExactly(5);
        byte[] chunk = MessageDigest.getInstance("SHA-256").digest(data);
        assertThat(fp.chunkHash(0)).isEqualTo(chunk);
        assertThat(fp.fileHash()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(chunk));
    }

    @Test
    void reusedInstance_givesTheSameResultAsAFreshOne() throws IOException {
        Fingerprinter f = new Fingerprinter(ChunkerParams.SYNC);
        byte[] a = FastCdcProperties.random(1, 700_000);
        byte[] b = FastCdcProperties.random(2, 300_000);
        Fingerprint fa = f.fingerprint(Channels.newChannel(new ByteArrayInputStream(a)));
        Fingerprint fb = f.fingerprint(Channels.newChannel(new ByteArrayInputStream(b)));
        assertThat(fa).isEqualTo(Fingerprinter.ofBytes(a, ChunkerParams.SYNC));
        assertThat(fb).isEqualTo(Fingerprinter.ofBytes(b, ChunkerParams.SYNC));
        assertThat(f.bytesRead()).isEqualTo(1_000_000);
    }

    @Test
    void failingSink_abortsAndTheInstanceStaysUsable() throws IOException {
        Fingerprinter f = new Fingerprinter(ChunkerParams.SYNC);
        byte[] a = FastCdcProperties.random(3, 500_000);
        assertThatThrownBy(() -> f.fingerprint(Channels.newChannel(new ByteArrayInputStream(a)),
                (o, d, off, len, h) -> {
                    throw new IOException("disk full");
                })).hasMessage("disk full");
        assertThat(f.fingerprint(Channels.newChannel(new ByteArrayInputStream(a))))
                .isEqualTo(Fingerprinter.ofBytes(a, ChunkerParams.SYNC));
    }

    @Test
    void nextBoundary_rejectsOutOfRangeIndexes() {
        FastCdc cdc = new FastCdc(ChunkerParams.SYNC);
        assertThatThrownBy(() -> cdc.nextBoundary(new byte[10], 5, 11)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(cdc.nextBoundary(new byte[10], 4, 4)).isEqualTo(4);
    }
}
