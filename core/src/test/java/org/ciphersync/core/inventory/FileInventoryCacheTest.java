package org.ciphersync.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.path.RelPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache file round-trips, invalidates, and survives hostile or corrupt files. */
class FileInventoryCacheTest {
    static final ChunkerParams P = ChunkerParams.SYNC;
    static final String ROOT = "/home/user/Photos";

    @TempDir
    Path dir;

    static InventoryEntry file(String path, byte[] content, long mtime, long key) {
        return new InventoryEntry(RelPath.of(path), EntryType.FILE, content.length, mtime, 0644, key,
                Fingerprinter.ofBytes(content, P));
    }

    static List<InventoryEntry> sample() {
        List<InventoryEntry> l = new ArrayList<>();
        l.add(file("a.txt", "alpha".getBytes(), 10, 1));
        l.add(file("d/big.bin", InventoryTest.random(9, 900_000), 20, 2));
        l.add(file("d/empty", new byte[0], 30, 3));
        l.add(new InventoryEntry(RelPath.of("d"), EntryType.DIRECTORY, 0, 5, 0755, 4, null));
        l.add(new InventoryEntry(RelPath.of("unhashed"), EntryType.FILE, 3, 5, 0644, 5, null));
        return l;
    }

    @Test
    void saveThenLoad_returnsTheFingerprintsOfHashedFilesOnly() {
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            c.save(ROOT, P, sample());
        }
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            Map<RelPath, InventoryCache.Cached> m = c.load(ROOT, P);
            assertThat(m).containsOnlyKeys(RelPath.of("a.txt"), RelPath.of("d/big.bin"), RelPath.of("d/empty"));
            InventoryEntry big = sample().get(1);
            assertThat(m.get(RelPath.of("d/big.bin"))).isEqualTo(
                    new InventoryCache.Cached(big.size(), 20, 2, big.fingerprint()));
            assertThat(m.get(RelPath.of("d/big.bin")).validFor(big)).isTrue();
            assertThat(m.get(RelPath.of("d/big.bin")).validFor(big.withFingerprint(null))).isTrue();
        }
    }

    @Test
    void save_removesRowsOfPathsNoLongerPresent() {
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            c.load(ROOT, P);
            c.save(ROOT, P, sample());
            c.save(ROOT, P, sample().subList(0, 1));
            assertThat(c.load(ROOT, P)).containsOnlyKeys(RelPath.of("a.txt"));
        }
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            assertThat(c.load(ROOT, P)).containsOnlyKeys(RelPath.of("a.txt"));
            c.save(ROOT, P, List.of());
        }
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            assertThat(c.load(ROOT, P)).isEmpty();
        }
    }

    @Test
    void rootsAndChunkerParameters_areKeptApart() {
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            c.save(ROOT, P, sample());
            assertThat(c.load("/other/root", P)).isEmpty();
            assertThat(c.cacheFile(ROOT)).isNotEqualTo(c.cacheFile("/other/root"));
        }
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            assertThat(c.load(ROOT, ChunkerParams.VAULT)).as("other parameters empty the cache").isEmpty();
        }
    }

    @Test
    void garbageCacheFile_isDiscardedAndRebuilt() throws IOException {
        FileInventoryCache probe = new FileInventoryCache(dir);
        Files.createDirectories(dir);
        Files.write(probe.cacheFile(ROOT), InventoryTest.random(1, 100_000));
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            assertThat(c.load(ROOT, P)).isEmpty();
            c.save(ROOT, P, sample());
        }
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            assertThat(c.load(ROOT, P)).hasSize(3);
        }
    }

    @Test
    void everyTruncationAndEveryFlippedByte_discardsTheFile_andItIsRebuilt() throws IOException {
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            c.save(ROOT, P, sample());
        }
        Path file = new FileInventoryCache(dir).cacheFile(ROOT);
        byte[] good = Files.readAllBytes(file);
        for (int cut = 0; cut < good.length; cut += Math.max(1, good.length / 300)) {
            Files.write(file, java.util.Arrays.copyOf(good, cut));
            try (FileInventoryCache c = new FileInventoryCache(dir)) {
                assertThat(c.load(ROOT, P)).as("cut at %d of %d", cut, good.length).isEmpty();
            }
            assertThat(file).as("a cut file is deleted").doesNotExist();
        }
        for (int i = 0; i < good.length; i += Math.max(1, good.length / 300)) {
            byte[] bad = good.clone();
            bad[i] ^= 0x20;
            Files.write(file, bad);
            try (FileInventoryCache c = new FileInventoryCache(dir)) {
                assertThat(c.load(ROOT, P)).as("byte %d flipped", i).isEmpty();
                c.save(ROOT, P, sample());
            }
            try (FileInventoryCache c = new FileInventoryCache(dir)) {
                assertThat(c.load(ROOT, P)).as("rebuilt after byte %d", i).hasSize(3);
            }
        }
        Files.write(file, concat(good, new byte[] {0}));
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            assertThat(c.load(ROOT, P)).as("trailing bytes").isEmpty();
        }
    }

    @Test
    void hostileCounts_areRefusedBeforeAnythingIsAllocated() throws IOException {
        for (int count : new int[] {Integer.MAX_VALUE, -1, 1 << 24}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            FileInventoryCache.write(b, ROOT, P, Map.of());
            byte[] bytes = b.toByteArray();
            int countAt = 4 + 1 + 2 + ROOT.length() + 12;
            ByteBuffer.wrap(bytes).putInt(countAt, count);
            Files.createDirectories(dir);
            Files.write(new FileInventoryCache(dir).cacheFile(ROOT), resealed(bytes));
            try (FileInventoryCache c = new FileInventoryCache(dir)) {
                assertThat(c.load(ROOT, P)).as("count %d", count).isEmpty();
            }
        }
    }

    @Test
    void tamperedEntriesWithAValidChecksum_areIgnored() throws IOException {
        List<InventoryEntry> l = new ArrayList<>(sample());
        Map<RelPath, InventoryCache.Cached> rows = new java.util.LinkedHashMap<>();
        for (InventoryEntry e : l) {
            if (e.fingerprint() != null) {
                rows.put(e.path(), new InventoryCache.Cached(e.size(), e.mtimeNanos(), e.fileKey(), e.fingerprint()));
            }
        }
        InventoryCache.Cached a = rows.get(RelPath.of("a.txt"));
        rows.put(RelPath.of("c.txt"), new InventoryCache.Cached(a.size() + 1, 1, 1, a.fingerprint())); // wrong total length
        InventoryCache.Cached big = rows.get(RelPath.of("d/big.bin"));
        Fingerprint zeroed = new Fingerprint(big.fingerprint().fileHash(), big.fingerprint().chunkLengths(),
                new byte[big.fingerprint().chunkHashes().length]); // file hash no longer matches
        rows.put(RelPath.of("d/big.bin"), new InventoryCache.Cached(big.size(), 1, 1, zeroed));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        FileInventoryCache.write(b, ROOT, P, rows);
        // an escaping path, written over the valid "a.txt" (same length keeps the layout)
        byte[] bytes = b.toByteArray();
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("a.txt", "../ab");
        bytes = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        bytes = resealed(bytes);
        Files.createDirectories(dir);
        Files.write(new FileInventoryCache(dir).cacheFile(ROOT), bytes);
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            assertThat(c.load(ROOT, P)).containsOnlyKeys(RelPath.of("d/empty"));
        }
    }

    @Test
    void anUnchangedInventory_doesNotRewriteTheFile() throws IOException {
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            c.save(ROOT, P, sample());
        }
        Path file = new FileInventoryCache(dir).cacheFile(ROOT);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1000));
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            c.load(ROOT, P);
            c.save(ROOT, P, sample());
        }
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(1000);
    }

    @Test
    void theDatabaseOfEarlierVersions_isRemovedOnceReplaced() throws IOException {
        FileInventoryCache probe = new FileInventoryCache(dir);
        String db = probe.cacheFile(ROOT).getFileName().toString().replace(".cache", ".db");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(db), "old");
        Files.writeString(dir.resolve(db + "-wal"), "old");
        try (FileInventoryCache c = new FileInventoryCache(dir)) {
            c.load(ROOT, P);
            c.save(ROOT, P, sample());
        }
        assertThat(dir.resolve(db)).doesNotExist();
        assertThat(dir.resolve(db + "-wal")).doesNotExist();
        try (var left = Files.list(dir)) {
            assertThat(left.map(x -> x.getFileName().toString())).containsExactly(probe.cacheFile(ROOT).getFileName().toString());
        }
    }

    /** {@code bytes} with its trailer recomputed, as a hostile writer would. */
    private static byte[] resealed(byte[] bytes) {
        try {
            byte[] body = java.util.Arrays.copyOf(bytes, bytes.length - 32);
            return concat(body, java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void validRow_rejectsEveryInconsistency() throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        var fp = Fingerprinter.ofBytes(InventoryTest.random(3, 300_000), P);
        byte[] lengths = FileInventoryCache.packLengths(fp.chunkLengths());
        long size = fp.size();
        assertThat(FileInventoryCache.validRow("f", size, 1, 1, fp.fileHash(), lengths, fp.chunkHashes(), P, sha)).isNotNull();
        assertThat(FileInventoryCache.validRow("f", size + 1, 1, 1, fp.fileHash(), lengths, fp.chunkHashes(), P, sha)).isNull();
        assertThat(FileInventoryCache.validRow("/abs", size, 1, 1, fp.fileHash(), lengths, fp.chunkHashes(), P, sha)).isNull();
        assertThat(FileInventoryCache.validRow("f", size, 1, 1, new byte[31], lengths, fp.chunkHashes(), P, sha)).isNull();
        assertThat(FileInventoryCache.validRow("f", size, 1, 1, fp.fileHash(), lengths, new byte[5], P, sha)).isNull();
        assertThat(FileInventoryCache.validRow("f", size, 1, 1, fp.fileHash(), null, fp.chunkHashes(), P, sha)).isNull();
        byte[] negative = lengths.clone();
        negative[0] = (byte) 0x80;
        assertThat(FileInventoryCache.validRow("f", size, 1, 1, fp.fileHash(), negative, fp.chunkHashes(), P, sha)).isNull();
    }

    @Test
    void unwritableCacheDirectory_degradesToNoCache() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        try (FileInventoryCache c = new FileInventoryCache(file.resolve("sub"))) {
            assertThat(c.load(ROOT, P)).isEmpty();
            c.save(ROOT, P, sample()); // logged, not thrown
            assertThat(c.load(ROOT, P)).isEmpty();
        }
    }

    @Test
    void defaultDirectory_isUnderTheUsersCacheFolder() {
        assertThat(FileInventoryCache.defaultDirectory().toString()).endsWith("ciphersync/inventory");
    }
}
