package org.ciphersync.core.inventory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.path.RelPath;

/**
 * An {@link InventoryCache} kept as one flat file per node root, read whole at the start of a run
 * and rewritten whole (to a temporary name, then renamed) when the run changed it, the way git keeps
 * its index: {@code <directory>/<hex SHA-256 of the root identifier>.cache}. The default directory
 * is {@code $XDG_CACHE_HOME/ciphersync/inventory}, else {@code ~/.cache/ciphersync/inventory}
 * ({@link #defaultDirectory()}).
 *
 * <p>Format (version {@value #VERSION}, integers big-endian):
 * <pre>
 * "CSIC" ‖ u8 version ‖ u16 root length ‖ root (UTF-8) ‖ u32 min ‖ u32 avg ‖ u32 max (chunker) ‖ u32 entry count
 * entry: u16 path length ‖ path (UTF-8) ‖ i64 size ‖ i64 mtime ns ‖ i64 file key ‖ u32 chunk count n
 *        ‖ n × u32 chunk length ‖ n × 32 B chunk SHA-256 ‖ 32 B file hash (SHA-256 of the chunk hashes)
 * trailer: 32 B SHA-256 of every byte before it
 * </pre>
 *
 * <p>The file is untrusted: a bad magic, version, trailer or any structural error (truncation, a
 * count larger than what is left) discards the whole file (logged; files are read again and the
 * cache rebuilt); another root or other chunker parameters mean an empty cache; and every entry is
 * validated as {@link #validRow} says, bad entries being ignored. Several processes may use the same
 * root at once: each writes a complete file under its own temporary name and the last rename wins,
 * which for a cache is enough. The file is not forced to disk: a file torn by a power cut fails its
 * trailer and is rebuilt.
 *
 * <p>Why not a database: loading SQLite in a fresh JVM (its native library is unpacked on every
 * start) and reading 20,000 rows through JDBC took 0.6–1.0 s, more than the scan it saves; this file
 * loads in a few tens of milliseconds (docs/design.md, "Cache").
 */
public final class FileInventoryCache implements InventoryCache {
    private static final System.Logger LOG = System.getLogger(FileInventoryCache.class.getName());
    static final int VERSION = 1;
    private static final byte[] MAGIC = {'C', 'S', 'I', 'C'};
    private static final int HASH = Fingerprint.HASH_LENGTH;
    /** Bytes of an entry besides its path, chunk lengths and chunk hashes. */
    private static final int ENTRY_FIXED = 2 + 8 + 8 + 8 + 4 + HASH;

    private final Path directory;
    /** What the file of each root held after the last load or save. */
    private final Map<String, Map<RelPath, Cached>> known = new HashMap<>();

    /** A cache storing its files in {@code directory} (created when needed). */
    public FileInventoryCache(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory == null");
    }

    /** {@code $XDG_CACHE_HOME/ciphersync/inventory}, else {@code ~/.cache/ciphersync/inventory}. */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ciphersync").resolve("inventory");
    }

    /** The cache file of {@code root}. */
    public Path cacheFile(String root) {
        return directory.resolve(name(root) + ".cache");
    }

    private static String name(String root) {
        return HexFormat.of().formatHex(sha256().digest(root.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public synchronized Map<RelPath, Cached> load(String root, ChunkerParams params) {
        Map<RelPath, Cached> rows;
        Path file = cacheFile(root);
        try (InputStream in = Files.newInputStream(file)) {
            rows = read(in, Files.size(file), root, params);
        } catch (NoSuchFileException e) {
            rows = Map.of();
        } catch (IOException | RuntimeException e) {
            discard(root, e);
            rows = Map.of();
        }
        known.put(root, rows);
        return rows;
    }

    @Override
    public synchronized void save(String root, ChunkerParams params, Collection<InventoryEntry> entries) {
        Map<RelPath, Cached> after = new HashMap<>(entries.size() * 2);
        for (InventoryEntry e : entries) {
            if (e.isFile() && e.fingerprint() != null) {
                after.put(e.path(), new Cached(e.size(), e.mtimeNanos(), e.fileKey(), e.fingerprint()));
            }
        }
        if (after.equals(known.get(root))) {
            return; // nothing changed since the load: the file stays as it is
        }
        Path file = cacheFile(root);
        Path tmp = null;
        try {
            Files.createDirectories(directory);
            tmp = directory.resolve(file.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                write(out, root, params, after);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            known.put(root, after);
            removeLegacyDatabase(root);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write the inventory cache {0} ({1}); the next run reads the files again",
                    file, e.toString());
            known.remove(root);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "cannot delete {0}: {1}", tmp, e.toString());
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        known.clear();
    }

    /** Writes the cache file's bytes for {@code rows}. */
    static void write(OutputStream target, String root, ChunkerParams params, Map<RelPath, Cached> rows) throws IOException {
        MessageDigest sha = sha256();
        DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(target, 1 << 16), sha);
        DataOutputStream out = new DataOutputStream(digest);
        out.write(MAGIC);
        out.writeByte(VERSION);
        writeString(out, root);
        out.writeInt(params.minSize());
        out.writeInt(params.avgSize());
        out.writeInt(params.maxSize());
        out.writeInt(rows.size());
        for (Map.Entry<RelPath, Cached> e : rows.entrySet()) {
            Cached c = e.getValue();
            writeString(out, e.getKey().value());
            out.writeLong(c.size());
            out.writeLong(c.mtimeNanos());
            out.writeLong(c.fileKey());
            int[] lengths = c.fingerprint().chunkLengths();
            out.writeInt(lengths.length);
            for (int l : lengths) {
                out.writeInt(l);
            }
            out.write(c.fingerprint().chunkHashes());
            out.write(c.fingerprint().fileHash());
        }
        out.flush();
        digest.on(false);
        out.write(sha.digest());
        out.flush();
    }

    /**
     * Reads a cache file of {@code fileSize} bytes: its valid entries, or an empty map when it was
     * made for another root or other chunker parameters.
     *
     * @throws IOException when the file is malformed (the caller discards it)
     */
    static Map<RelPath, Cached> read(InputStream source, long fileSize, String root, ChunkerParams params) throws IOException {
        MessageDigest sha = sha256();
        DigestInputStream digest = new DigestInputStream(new BufferedInputStream(source, 1 << 16), sha);
        DataInputStream in = new DataInputStream(digest);
        long left = fileSize - HASH; // bytes before the trailer
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not an inventory cache file");
        }
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("inventory cache version " + version + " (this version reads " + VERSION + ")");
        }
        byte[] rootBytes = readBytes(in);
        String fileRoot = new String(rootBytes, StandardCharsets.UTF_8);
        int min = in.readInt();
        int avg = in.readInt();
        int max = in.readInt();
        int count = in.readInt();
        left -= MAGIC.length + 1 + 2 + rootBytes.length + 16;
        if (!fileRoot.equals(root) || min != params.minSize() || avg != params.avgSize() || max != params.maxSize()) {
            return Map.of(); // another root (a hash collision of names) or other parameters: nothing reusable
        }
        if (count < 0 || (long) count * ENTRY_FIXED > left) {
            throw new IOException("entry count " + count + " does not fit in the file");
        }
        Map<RelPath, Cached> rows = new HashMap<>(count * 2);
        MessageDigest check = sha256();
        int bad = 0;
        for (int i = 0; i < count; i++) {
            byte[] pathBytes = readBytes(in);
            String path = new String(pathBytes, StandardCharsets.UTF_8);
            long size = in.readLong();
            long mtime = in.readLong();
            long fileKey = in.readLong();
            int n = in.readInt();
            left -= ENTRY_FIXED + pathBytes.length;
            if (n < 0 || (long) n * (4 + HASH) > left) {
                throw new IOException("chunk count " + n + " does not fit in the file");
            }
            byte[] lengths = new byte[n * 4];
            in.readFully(lengths);
            byte[] hashes = new byte[n * HASH];
            in.readFully(hashes);
            byte[] fileHash = new byte[HASH];
            in.readFully(fileHash);
            left -= (long) n * (4 + HASH);
            Cached row = validRow(path, size, mtime, fileKey, fileHash, lengths, hashes, params, check);
            if (row == null || rows.put(RelPath.of(path), row) != null) {
                bad++;
            }
        }
        byte[] computed = sha.digest();
        byte[] trailer = new byte[HASH];
        in.readFully(trailer);
        if (!MessageDigest.isEqual(computed, trailer) || in.read() != -1) {
            throw new IOException("the file's checksum does not match (damaged or cut short)");
        }
        if (bad > 0) {
            LOG.log(System.Logger.Level.WARNING, "inventory cache: ignored {0} inconsistent entries; they will be recomputed", bad);
        }
        return rows;
    }

    /** The entry as a {@link Cached}, or null when anything about it is inconsistent. */
    static Cached validRow(String path, long size, long mtime, long fileKey, byte[] fileHash, byte[] lengths,
                           byte[] hashes, ChunkerParams params, MessageDigest sha) {
        if (path == null || RelPath.problem(path) != null || path.isEmpty() || size < 0
                || fileHash == null || lengths == null || hashes == null
                || fileHash.length != HASH || lengths.length % 4 != 0
                || hashes.length != (lengths.length / 4) * HASH) {
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

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IOException("a path of " + b.length + " bytes is too long for the inventory cache");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    /** A u16-length-prefixed byte string (at most 64 KiB, so a hostile length allocates little). */
    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return b;
    }

    /** Logs and deletes the file of {@code root} so the next save starts afresh. */
    private void discard(String root, Exception cause) {
        Path file = cacheFile(root);
        String why = cause instanceof EOFException ? "cut short" : cause.getMessage() != null ? cause.getMessage() : cause.toString();
        LOG.log(System.Logger.Level.WARNING, "inventory cache {0} is unusable ({1}); discarding it, files will be read again", file, why);
        known.remove(root);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete the broken cache file {0}: {1}", file, e.toString());
        }
    }

    /** Deletes the SQLite database an earlier version kept for {@code root}, once this file replaced it. */
    private void removeLegacyDatabase(String root) {
        String db = name(root) + ".db";
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(directory.resolve(db + suffix));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot delete the old cache database {0}{1}: {2}", db, suffix, e.toString());
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
