package org.ciphersync.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.path.RelPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite cache round-trips, invalidates, and survives hostile or corrupt databases. */
class SqliteInventoryCacheTest {
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
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            c.save(ROOT, P, sample());
        }
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
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
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            c.load(ROOT, P);
            c.save(ROOT, P, sample());
            c.save(ROOT, P, sample().subList(0, 1));
            assertThat(c.load(ROOT, P)).containsOnlyKeys(RelPath.of("a.txt"));
        }
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            assertThat(c.load(ROOT, P)).containsOnlyKeys(RelPath.of("a.txt"));
            c.save(ROOT, P, List.of());
        }
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            assertThat(c.load(ROOT, P)).isEmpty();
        }
    }

    @Test
    void rootsAndChunkerParameters_areKeptApart() {
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            c.save(ROOT, P, sample());
            assertThat(c.load("/other/root", P)).isEmpty();
            assertThat(c.databaseFile(ROOT)).isNotEqualTo(c.databaseFile("/other/root"));
        }
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            assertThat(c.load(ROOT, ChunkerParams.VAULT)).as("other parameters empty the cache").isEmpty();
        }
    }

    @Test
    void garbageDatabaseFile_isDiscardedAndRebuilt() throws IOException {
        SqliteInventoryCache probe = new SqliteInventoryCache(dir);
        Files.createDirectories(dir);
        Files.write(probe.databaseFile(ROOT), InventoryTest.random(1, 100_000));
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            assertThat(c.load(ROOT, P)).isEmpty();
            c.save(ROOT, P, sample());
        }
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            assertThat(c.load(ROOT, P)).hasSize(3);
        }
    }

    @Test
    void truncatedDatabaseFile_isDiscardedAndRebuilt() throws IOException {
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            List<InventoryEntry> many = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                many.add(file("f" + i, ("content " + i).getBytes(), i, i));
            }
            c.save(ROOT, P, many);
        }
        Path db = new SqliteInventoryCache(dir).databaseFile(ROOT);
        checkpoint(db);
        byte[] bytes = Files.readAllBytes(db);
        byte[] half = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        for (int i = 100; i < half.length; i += 97) {
            half[i] ^= 0x5A; // and scribble over the pages
        }
        Files.write(db, half);
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            Map<RelPath, InventoryCache.Cached> m = c.load(ROOT, P);
            // Whatever survives MUST be consistent; usually nothing does.
            for (Map.Entry<RelPath, InventoryCache.Cached> e : m.entrySet()) {
                assertThat(e.getValue().fingerprint().size()).isEqualTo(e.getValue().size());
            }
            c.save(ROOT, P, sample());
            assertThat(c.load(ROOT, P)).hasSize(3);
        }
    }

    @Test
    void tamperedRows_areIgnored() throws SQLException {
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            c.save(ROOT, P, sample());
        }
        Path db = new SqliteInventoryCache(dir).databaseFile(ROOT);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            // wrong total length
            s.execute("UPDATE entry SET size = size + 1 WHERE path = 'a.txt'");
            // chunk hash altered: file hash no longer matches
            s.execute("UPDATE entry SET chunk_hashes = zeroblob(length(chunk_hashes)) WHERE path = 'd/big.bin'");
            // escaping path, odd-length lengths blob
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO entry VALUES (?, 5, 1, 1, ?, ?, ?)")) {
                ps.setString(1, "../escape");
                ps.setBytes(2, new byte[32]);
                ps.setBytes(3, new byte[] {0, 0, 0, 5});
                ps.setBytes(4, new byte[32]);
                ps.execute();
                ps.setString(1, "odd");
                ps.setBytes(3, new byte[] {0, 0, 5});
                ps.execute();
            }
        }
        try (SqliteInventoryCache c = new SqliteInventoryCache(dir)) {
            assertThat(c.load(ROOT, P)).containsOnlyKeys(RelPath.of("d/empty"));
        }
    }

    @Test
    void validRow_rejectsEveryInconsistency() throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        var fp = Fingerprinter.ofBytes(InventoryTest.random(3, 300_000), P);
        byte[] lengths = SqliteInventoryCache.packLengths(fp.chunkLengths());
        long size = fp.size();
        assertThat(SqliteInventoryCache.validRow("f", size, 1, 1, fp.fileHash(), lengths, fp.chunkHashes(), P, sha)).isNotNull();
        assertThat(SqliteInventoryCache.validRow("f", size + 1, 1, 1, fp.fileHash(), lengths, fp.chunkHashes(), P, sha)).isNull();
        assertThat(SqliteInventoryCache.validRow("/abs", size, 1, 1, fp.fileHash(), lengths, fp.chunkHashes(), P, sha)).isNull();
        assertThat(SqliteInventoryCache.validRow("f", size, 1, 1, new byte[31], lengths, fp.chunkHashes(), P, sha)).isNull();
        assertThat(SqliteInventoryCache.validRow("f", size, 1, 1, fp.fileHash(), lengths, new byte[5], P, sha)).isNull();
        assertThat(SqliteInventoryCache.validRow("f", size, 1, 1, fp.fileHash(), null, fp.chunkHashes(), P, sha)).isNull();
        byte[] negative = lengths.clone();
        negative[0] = (byte) 0x80;
        assertThat(SqliteInventoryCache.validRow("f", size, 1, 1, fp.fileHash(), negative, fp.chunkHashes(), P, sha)).isNull();
    }

    @Test
    void unwritableCacheDirectory_degradesToNoCache() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        try (SqliteInventoryCache c = new SqliteInventoryCache(file.resolve("sub"))) {
            assertThat(c.load(ROOT, P)).isEmpty();
            c.save(ROOT, P, sample()); // logged, not thrown
            assertThat(c.load(ROOT, P)).isEmpty();
        }
    }

    @Test
    void defaultDirectory_isUnderTheUsersCacheFolder() {
        assertThat(SqliteInventoryCache.defaultDirectory().toString()).endsWith("ciphersync/inventory");
    }

    private static void checkpoint(Path db) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
