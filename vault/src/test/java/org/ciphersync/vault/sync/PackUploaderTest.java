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
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.format.BlobKind;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.memory.MemoryBlobStore;
import org.ciphersync.vault.tree.BlobId;
import org.junit.jupiter.api.Test;

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
}
