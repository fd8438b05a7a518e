package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.format.BlobKind;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.Capabilities;
import org.ciphersync.vault.store.StoreException;
import org.ciphersync.vault.store.decorator.ForwardingBlobStore;
import org.ciphersync.vault.store.memory.MemoryBlobStore;
import org.ciphersync.vault.tree.BlobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sealing stage on its own: packs, their buffers reused across packs, and the index entries it returns. */
class PackUploaderTest {
    private static final int PACK_SIZE = 64 << 10;

    /**
     * Each worker reuses the buffers of its stored packs for its next ones: with 64 KiB packs and
     * 1.5 MiB of incompressible blobs every worker writes many packs, and a buffer handed back
     * while its pack was still being stored would show here as a blob that does not open or
     * differs.
     */
    @Test
    void manyPacksPerWorker_everyBlobReadsBackAsAdded() throws Exception {
        MemoryBlobStore store = new MemoryBlobStore();
        try (Repository repo = Repository.create(store, Password.of("pw"), TestVault.cheapKdf(), new SecureRandom(),
                Clock.systemUTC(), PACK_SIZE)) {
            ComputerId me = ComputerId.random(new SecureRandom());
            BlobCodec codec = repo.codec(TestVault.NS);
            Random r = new Random(42);
            Map<BlobId, byte[]> added = new HashMap<>();
            List<IndexEntry> entries;
            try (PackUploader uploader = new PackUploader(repo, TestVault.NS, me, Progress.NONE)) {
                for (int i = 0; i < 200; i++) {
                    byte[] data = new byte[1 + r.nextInt(16 << 10)];
                    r.nextBytes(data);
                    BlobId id = codec.idOf(data, 0, data.length);
                    added.put(id, data.clone());
                    uploader.add(id, BlobKind.CHUNK, data);
                }
                entries = new ArrayList<>(uploader.finish());
                assertThat(uploader.packs()).isGreaterThanOrEqualTo(3 * PackUploader.WORKERS);
            }
            assertThat(entries).hasSize(added.size());
            assertThat(new HashSet<>(entries.stream().map(IndexEntry::pack).toList())).hasSizeGreaterThanOrEqualTo(3 * PackUploader.WORKERS);
            for (IndexEntry e : entries) {
                assertThat(repo.readBlob(e, codec)).as("blob %s", e.id()).isEqualTo(added.get(e.id()));
            }
            for (BlobName pack : new HashSet<>(entries.stream().map(IndexEntry::pack).toList())) {
                byte[] stored = repo.load(pack, PACK_SIZE * 2L);
                assertThat(Repository.packName(me, stored, stored.length)).as("pack named after its content").isEqualTo(pack);
            }
        }
    }

    /**
     * Packs are stored {@link PackUploader#STORERS} at a time when the store takes that many
     * connections, one at a time when it takes one. Each pack save waits (up to a bound) for a
     * second one to start, so an uploader that stores one pack at a time shows as a maximum of 1.
     */
    @ParameterizedTest(name = "connections {0}: at most {1} packs stored at once")
    @CsvSource({"1, 1", "8, 2"})
    void packsAreStoredTwoAtATime_whenTheStoreTakesMoreThanOneConnection(int connections, int expected) throws Exception {
        OverlapProbe store = new OverlapProbe(new MemoryBlobStore(), connections, connections == 1 ? 20 : 2_000);
        try (Repository repo = Repository.create(store, Password.of("pw"), TestVault.cheapKdf(), new SecureRandom(),
                Clock.systemUTC(), PACK_SIZE)) {
            ComputerId me = ComputerId.random(new SecureRandom());
            BlobCodec codec = repo.codec(TestVault.NS);
            Random r = new Random(7);
            int added = 0;
            try (PackUploader uploader = new PackUploader(repo, TestVault.NS, me, Progress.NONE)) {
                for (int i = 0; i < 120; i++) {
                    byte[] data = new byte[8 << 10];
                    r.nextBytes(data);
                    uploader.add(codec.idOf(data, 0, data.length), BlobKind.CHUNK, data);
                    added++;
                }
                assertThat(uploader.finish()).hasSize(added);
                assertThat(uploader.packs()).isGreaterThanOrEqualTo(6);
            }
            assertThat(store.maxAtOnce.get()).isEqualTo(expected);
        }
    }

    /** Counts pack saves in progress; each waits up to {@code waitMillis} for another to start. */
    private static final class OverlapProbe extends ForwardingBlobStore {
        private final Capabilities capabilities;
        private final long waitMillis;
        private final AtomicInteger atOnce = new AtomicInteger();
        final AtomicInteger maxAtOnce = new AtomicInteger();
        private final Object monitor = new Object();

        OverlapProbe(BlobStore delegate, int connections, long waitMillis) {
            super(delegate);
            this.capabilities = delegate.capabilities().withConnections(connections);
            this.waitMillis = waitMillis;
        }

        @Override
        public Capabilities capabilities() {
            return capabilities;
        }

        @Override
        public void save(BlobName name, BlobSource source) throws StoreException {
            if (name.type() != BlobType.PACK) {
                super.save(name, source);
                return;
            }
            synchronized (monitor) {
                maxAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
                monitor.notifyAll();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
                try {
                    while (atOnce.get() < 2 && System.nanoTime() < deadline) {
                        monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                super.save(name, source);
            } finally {
                atOnce.decrementAndGet();
            }
        }
    }
}
