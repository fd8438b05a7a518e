package org.ciphersync.vault.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.ObjectNames;
import org.ciphersync.vault.store.BlobName;
import org.junit.jupiter.api.Test;

/** The whole-pack cache: least recently used out, buffers reused only once no reader holds them. */
class PackCacheTest {
    private static final int SIZE = 64;
    private static final ComputerId C = ComputerId.random(new SecureRandom());

    private static BlobName pack(int i) {
        byte[] h = new byte[32];
        h[0] = (byte) i;
        return ObjectNames.pack(HexFormat.of().formatHex(h), C);
    }

    private static PackCache cache(int capacity) {
        PackCache cache = new PackCache(SIZE);
        cache.capacity(capacity);
        return cache;
    }

    /** A loader that fills the buffer with the pack's number and records every buffer it was given. */
    private static final class Recording implements PackCache.Loader {
        final List<byte[]> buffers = new ArrayList<>();

        @Override
        public PackCache.Loaded load(BlobName pack, byte[] buffer) {
            buffers.add(buffer);
            Arrays.fill(buffer, (byte) pack.name().charAt(1));
            return new PackCache.Loaded(buffer, SIZE / 2);
        }
    }

    @Test
    void aPackReadTwice_isLoadedOnce() throws IOException {
        PackCache cache = cache(2);
        Recording loader = new Recording();
        try (PackCache.Lease a = cache.acquire(pack(1), loader); PackCache.Lease b = cache.acquire(pack(1), loader)) {
            assertThat(b.bytes()).isSameAs(a.bytes());
            assertThat(a.length()).isEqualTo(SIZE / 2);
        }
        assertThat(loader.buffers).hasSize(1);
    }

    @Test
    void anEvictedPackNoOneReads_givesItsBufferToTheNextPack() throws IOException {
        PackCache cache = cache(1);
        Recording loader = new Recording();
        cache.acquire(pack(1), loader).close();
        cache.acquire(pack(2), loader).close(); // evicts pack 1, whose buffer becomes a spare
        cache.acquire(pack(3), loader).close();
        assertThat(loader.buffers.get(2)).isSameAs(loader.buffers.get(0));
    }

    @Test
    void anEvictedPackStillRead_keepsItsBytesUntilItsReaderIsDone() throws IOException {
        PackCache cache = cache(1);
        Recording loader = new Recording();
        PackCache.Lease held = cache.acquire(pack(1), loader);
        byte[] before = held.bytes().clone();
        cache.acquire(pack(2), loader).close(); // evicts pack 1 while it is held
        cache.acquire(pack(3), loader).close(); // a new buffer: pack 1's is still read, pack 2's still cached
        cache.acquire(pack(4), loader).close(); // pack 2's buffer (a spare since pack 3 evicted it), never pack 1's
        assertThat(loader.buffers.get(2)).isNotSameAs(loader.buffers.get(0));
        assertThat(loader.buffers.get(3)).isSameAs(loader.buffers.get(1));
        assertThat(held.bytes()).isEqualTo(before);
        held.close();
        cache.acquire(pack(5), loader).close(); // pack 1's buffer, a spare since its reader let go
        assertThat(loader.buffers.get(4)).isSameAs(loader.buffers.get(0));
    }

    @Test
    void aPackLargerThanTheStandardBuffer_isNeverPooled() throws IOException {
        PackCache cache = cache(1);
        List<byte[]> given = new ArrayList<>();
        PackCache.Loader large = (p, buffer) -> {
            given.add(buffer);
            return new PackCache.Loaded(new byte[SIZE * 2], SIZE * 2);
        };
        cache.acquire(pack(1), large).close();
        Recording loader = new Recording();
        cache.acquire(pack(2), loader).close(); // evicts the large pack: its array must not become a spare
        cache.acquire(pack(3), loader).close(); // evicts pack 2: its standard buffer does
        assertThat(loader.buffers).allSatisfy(b -> assertThat(b).hasSize(SIZE));
        assertThat(loader.buffers.get(0)).isNotSameAs(given.get(0));
    }

    @Test
    void aFailedLoad_cachesNothing_andTheNextReadTriesAgain() throws IOException {
        PackCache cache = cache(2);
        assertThatThrownBy(() -> cache.acquire(pack(1), (p, b) -> {
            throw new IOException("connection reset");
        })).hasMessage("connection reset");
        Recording loader = new Recording();
        cache.acquire(pack(1), loader).close();
        assertThat(loader.buffers).hasSize(1);
    }

    @Test
    void turnedOff_keepsNoPackAndNoBuffer() throws IOException {
        PackCache cache = cache(2);
        Recording loader = new Recording();
        cache.acquire(pack(1), loader).close();
        cache.capacity(0);
        cache.capacity(2);
        cache.acquire(pack(1), loader).close();
        assertThat(loader.buffers).hasSize(2);
        assertThat(loader.buffers.get(1)).isNotSameAs(loader.buffers.get(0));
    }
}
