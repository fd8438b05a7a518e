package org.ciphersync.core.inventory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.path.RelPath;

/**
 * An {@link InventoryCache} in SQLite: one database file per node root,
 * {@code <directory>/<hex SHA-256 of the root identifier>.db}, in WAL mode. The default
 * directory is {@code $XDG_CACHE_HOME/ciphersync/inventory}, else
 * {@code ~/.cache/ciphersync/inventory} ({@link #defaultDirectory()}).
 *
 * <p>Schema (version {@value #SCHEMA_VERSION}): {@code meta(key, value)} holds the schema
 * version, the root identifier and the chunker parameters; {@code entry(path PRIMARY KEY, size,
 * mtime_ns, file_key, file_hash BLOB(32), chunk_lengths BLOB, chunk_hashes BLOB)} where
 * {@code chunk_lengths} is the chunk lengths as 4-byte big-endian integers and
 * {@code chunk_hashes} the concatenated 32-byte SHA-256 hashes. A database with another schema
 * version, root or chunker parameters is emptied.
 *
 * <p>The database is treated as untrusted: every row is validated on load (valid path, lengths
 * in {@code [1, maxSize]} summing to the size, file hash equal to SHA-256 over the chunk hashes)
 * and bad rows are ignored. A database that cannot be opened or read (corrupt, not a database,
 * locked too long) is logged, deleted and rebuilt; failing that, the root runs uncached. Writes
 * go in transactions of {@value #BATCH} rows. Not meant for concurrent runs over the same root
 * from several processes (SQLite's locking keeps that safe but slow).
 */
public final class SqliteInventoryCache implements InventoryCache {
    private static final System.Logger LOG = System.getLogger(SqliteInventoryCache.class.getName());
    static final int SCHEMA_VERSION = 1;
    static final int BATCH = 5000;

    private final Path directory;
    private final Map<String, Connection> connections = new HashMap<>();
    /** What the database of each root held after the last load or save: path → file hash + attrs. */
    private final Map<String, Map<RelPath, Cached>> known = new HashMap<>();

    /** A cache storing its databases in {@code directory} (created when needed). */
    public SqliteInventoryCache(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory == null");
    }

    /** {@code $XDG_CACHE_HOME/ciphersync/inventory}, else {@code ~/.cache/ciphersync/inventory}. */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ciphersync").resolve("inventory");
    }

    /** The database file of {@code root}. */
    public Path databaseFile(String root) {
        return directory.resolve(HexFormat.of().formatHex(sha256(root.getBytes(StandardCharsets.UTF_8))) + ".db");
    }

    @Override
    public synchronized Map<RelPath, Cached> load(String root, ChunkerParams params) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Connection c = connection(root, params);
                Map<RelPath, Cached> rows = read(c, params);
                known.put(root, rows);
                return rows;
            } catch (SQLException | IOException | RuntimeException e) {
                discard(root, e);
            }
        }
        known.put(root, Map.of());
        return Map.of();
    }

    @Override
    public synchronized void save(String root, ChunkerParams params, Collection<InventoryEntry> entries) {
        try {
            Connection c = connection(root, params);
            Map<RelPath, Cached> before = known.getOrDefault(root, Map.of());
            Map<RelPath, Cached> after = new HashMap<>(entries.size() * 2);
            for (InventoryEntry e : entries) {
                if (e.isFile() && e.fingerprint() != null) {
                    after.put(e.path(), new Cached(e.size(), e.mtimeNanos(), e.fileKey(), e.fingerprint()));
                }
            }
            if (!known.containsKey(root)) {
                before = read(c, params); // saved without a load: find what to delete
            }
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM entry WHERE path = ?");
                 PreparedStatement put = c.prepareStatement("INSERT OR REPLACE INTO entry"
                         + "(path, size, mtime_ns, file_key, file_hash, chunk_lengths, chunk_hashes) VALUES (?,?,?,?,?,?,?)")) {
                int pending = 0;
                for (RelPath p : before.keySet()) {
                    if (!after.containsKey(p)) {
                        del.setString(1, p.value());
                        del.addBatch();
                        if (++pending % BATCH == 0) {
                            del.executeBatch();
                            c.commit();
                        }
                    }
                }
                del.executeBatch();
                for (Map.Entry<RelPath, Cached> e : after.entrySet()) {
                    Cached old = before.get(e.getKey());
                    Cached now = e.getValue();
                    if (now.equals(old)) {
                        continue;
                    }
                    put.setString(1, e.getKey().value());
                    put.setLong(2, now.size());
                    put.setLong(3, now.mtimeNanos());
                    put.setLong(4, now.fileKey());
                    put.setBytes(5, now.fingerprint().fileHash());
                    put.setBytes(6, packLengths(now.fingerprint().chunkLengths()));
                    put.setBytes(7, now.fingerprint().chunkHashes());
                    put.addBatch();
                    if (++pending % BATCH == 0) {
                        put.executeBatch();
                        c.commit();
                    }
                }
                put.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            known.put(root, after);
        } catch (SQLException | IOException | RuntimeException e) {
            discard(root, e);
        }
    }

    @Override
    public synchronized void close() {
        for (Connection c : connections.values()) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing inventory cache: {0}", e.toString());
            }
        }
        connections.clear();
        known.clear();
    }

    private Connection connection(String root, ChunkerParams params) throws SQLException, IOException {
        Connection c = connections.get(root);
        if (c != null) {
            return c;
        }
        Files.createDirectories(directory);
        Path file = databaseFile(root);
        c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS entry (path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
                        + " mtime_ns INTEGER NOT NULL, file_key INTEGER NOT NULL, file_hash BLOB NOT NULL,"
                        + " chunk_lengths BLOB NOT NULL, chunk_hashes BLOB NOT NULL) WITHOUT ROWID");
            }
            Map<String, String> want = Map.of("schema", Integer.toString(SCHEMA_VERSION), "root", root,
                    "chunker", params.minSize() + "/" + params.avgSize() + "/" + params.maxSize());
            Map<String, String> have = new HashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT key, value FROM meta")) {
                while (rs.next()) {
                    have.put(rs.getString(1), rs.getString(2));
                }
            }
            if (!have.equals(want)) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement();
                     PreparedStatement ins = c.prepareStatement("INSERT INTO meta(key, value) VALUES (?, ?)")) {
                    s.execute("DELETE FROM entry");
                    s.execute("DELETE FROM meta");
                    for (Map.Entry<String, String> e : want.entrySet()) {
                        ins.setString(1, e.getKey());
                        ins.setString(2, e.getValue());
                        ins.addBatch();
                    }
                    ins.executeBatch();
                    c.commit();
                } finally {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        connections.put(root, c);
        return c;
    }

    private static Map<RelPath, Cached> read(Connection c, ChunkerParams params) throws SQLException {
        Map<RelPath, Cached> rows = new HashMap<>();
        int bad = 0;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT path, size, mtime_ns, file_key, file_hash, chunk_lengths, chunk_hashes FROM entry")) {
            MessageDigest sha = sha256Digest();
            while (rs.next()) {
                Cached row = validRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBytes(5),
                        rs.getBytes(6), rs.getBytes(7), params, sha);
                if (row == null) {
                    bad++;
                } else {
                    rows.put(RelPath.of(rs.getString(1)), row);
                }
            }
        }
        if (bad > 0) {
            LOG.log(System.Logger.Level.WARNING, "inventory cache: ignored {0} inconsistent rows; they will be recomputed", bad);
        }
        return rows;
    }

    /** The row as a {@link Cached}, or null when anything about it is inconsistent. */
    static Cached validRow(String path, long size, long mtime, long fileKey, byte[] fileHash, byte[] lengths,
                           byte[] hashes, ChunkerParams params, MessageDigest sha) {
        if (path == null || RelPath.problem(path) != null || path.isEmpty() || size < 0
                || fileHash == null || lengths == null || hashes == null
                || fileHash.length != Fingerprint.HASH_LENGTH || lengths.length % 4 != 0
                || hashes.length != (lengths.length / 4) * Fingerprint.HASH_LENGTH) {
            return null;
        }
        int n = lengths.length / 4;
        int[] ls = new int[n];
        ByteBuffer b = ByteBuffer.wrap(lengths);
        long sum = 0;
        for (int i = 0; i < n; i++) {
            ls[i] = b.getInt();
            if (ls[i] < 1 || ls[i] > params.maxSize() || (i < n - 1 && ls[i] < params.minSize())) {
                return null;
            }
            sum += ls[i];
        }
        if (sum != size) {
            return null;
        }
        sha.reset();
        if (!MessageDigest.isEqual(sha.digest(hashes), fileHash)) {
            return null;
        }
        return new Cached(size, mtime, fileKey, new Fingerprint(fileHash, ls, hashes));
    }

    static byte[] packLengths(int[] lengths) {
        ByteBuffer b = ByteBuffer.allocate(lengths.length * 4);
        for (int l : lengths) {
            b.putInt(l);
        }
        return b.array();
    }

    /** Logs, closes and deletes the database of {@code root} so the next use starts empty. */
    private void discard(String root, Exception cause) {
        Path file = databaseFile(root);
        LOG.log(System.Logger.Level.WARNING, "inventory cache {0} is unusable ({1}); discarding it, files will be read again",
                file, cause.toString());
        Connection c = connections.remove(root);
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing broken cache: {0}", e.toString());
            }
        }
        known.remove(root);
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete broken cache file {0}{1}: {2}", file, suffix, e.toString());
            }
        }
    }

    private static byte[] sha256(byte[] data) {
        return sha256Digest().digest(data);
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

}
