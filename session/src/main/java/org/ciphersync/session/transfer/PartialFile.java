package org.ciphersync.session.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ciphersync.core.fs.PosixMode;

/**
 * A file being received, kept in the member's state area so that a member whose process dies in the
 * middle of a transfer does not fetch again what it had already received and verified.
 *
 * <pre>
 * &lt;dir&gt;/&lt;hh&gt;/&lt;hex file hash&gt;.part   the file at its final size; received chunks are written at their offsets
 * &lt;dir&gt;/&lt;hh&gt;/&lt;hex file hash&gt;.have   "CSRC" ‖ u8 version = 1 ‖ 32 B file hash ‖ u32 chunk count
 *                               ‖ u32 chunk index… (appended after those chunks were written;
 *                               a torn last index is ignored, an index out of range discards the record)
 * </pre>
 *
 * {@code hh} is the hash's first two hex digits: a transfer of many small files creates, links and
 * removes thousands of these files from many threads at once, and in one folder they all queued on that
 * folder's lock in the kernel (a quarter of a member's CPU time spun there); 256 folders spread them.
 *
 * Named by the manifest's file hash (= SHA-256 of the chunk hashes), so a different version of the file
 * (a stale resume state) never matches. Nothing in the state area is trusted: on {@link #open} every
 * recorded chunk is read back and hashed against the authenticated manifest, and only matching chunks
 * count as received; a malformed record file discards the whole state for that file.
 *
 * <p>Thread-safe: parts of one file may be written by several fetching threads at once.
 */
public final class PartialFile implements AutoCloseable {
    private static final byte[] MAGIC = {'C', 'S', 'R', 'C'};
    private static final int HEADER = 4 + 1 + 32 + 4;

    private final Path part;
    private final Path have;
    private final long[] offsets;
    private final int[] lengths;
    private final boolean[] present;
    private FileChannel data;
    private FileChannel record;
    private final long resumedBytes;
    private final int discardedChunks;

    private PartialFile(Path part, Path have, long[] offsets, int[] lengths, boolean[] present, FileChannel data, FileChannel record,
                        long resumedBytes, int discardedChunks) {
        this.part = part;
        this.have = have;
        this.offsets = offsets;
        this.lengths = lengths;
        this.present = present;
        this.data = data;
        this.record = record;
        this.resumedBytes = resumedBytes;
        this.discardedChunks = discardedChunks;
    }

    /**
     * Opens the partial file of the content described by a verified manifest, taking back every recorded
     * chunk that still matches its hash, or starts a new one.
     */
    public static PartialFile open(Path dir, byte[] fileHash, int[] lengths, byte[] hashes) throws IOException {
        Path have = recordPath(dir, fileHash);
        Files.createDirectories(have.getParent());
        String name = HexFormat.of().formatHex(fileHash);
        Path part = have.resolveSibling(name + ".part");
        long[] offsets = new long[lengths.length];
        long size = 0;
        for (int i = 0; i < lengths.length; i++) {
            offsets[i] = size;
            size += lengths[i];
        }
        boolean[] present = new boolean[lengths.length];
        long resumed = 0;
        int discarded = 0;
        List<Integer> recorded = readRecord(have, fileHash, lengths.length);
        if (recorded == null || !Files.isRegularFile(part) || Files.size(part) != size) {
            Files.deleteIfExists(part);
            Files.deleteIfExists(have);
            recorded = List.of();
        }
        FileChannel data = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (data.size() != size) {
                data.truncate(0);
                if (size > 0) {
                    writeFully(data, ByteBuffer.allocate(1), size - 1); // sparse: the chunks come later
                }
            }
            MessageDigest sha = sha256();
            for (int i : recorded) {
                if (present[i]) {
                    continue;
                }
                ByteBuffer b = ByteBuffer.allocate(lengths[i]);
                readFully(data, b, offsets[i]);
                sha.update(b.array());
                if (Arrays.equals(sha.digest(), Arrays.copyOfRange(hashes, i * 32, i * 32 + 32))) {
                    present[i] = true;
                    resumed += lengths[i];
                } else {
                    discarded++;
                }
            }
            FileChannel record;
            if (recorded.isEmpty() || !Files.exists(have)) {
                record = FileChannel.open(have, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                ByteBuffer h = ByteBuffer.allocate(HEADER).put(MAGIC).put((byte) 1).put(fileHash).putInt(lengths.length).flip();
                while (h.hasRemaining()) {
                    record.write(h);
                }
            } else {
                record = FileChannel.open(have, StandardOpenOption.WRITE);
                record.truncate(HEADER + 4L * recorded.size()); // drop a torn last index before appending
                record.position(record.size());
            }
            return new PartialFile(part, have, offsets, lengths.clone(), present, data, record, resumed, discarded);
        } catch (IOException | RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /** The recorded chunk indices, or null when the record file is missing, foreign or malformed. */
    private static List<Integer> readRecord(Path have, byte[] fileHash, int count) throws IOException {
        if (!Files.isRegularFile(have)) {
            return null;
        }
        long size = Files.size(have);
        if (size < HEADER || size > HEADER + 8L * count + 4096) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(have));
        byte[] magic = new byte[4];
        byte[] hash = new byte[32];
        b.get(magic);
        int version = b.get();
        b.get(hash);
        if (!Arrays.equals(magic, MAGIC) || version != 1 || !Arrays.equals(hash, fileHash) || b.getInt() != count) {
            return null;
        }
        java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
        while (b.remaining() >= 4) { // a torn last index (a crash while appending) is ignored
            int i = b.getInt();
            if (i < 0 || i >= count) {
                return null;
            }
            out.add(i);
        }
        return out;
    }

    /** Whether chunk {@code i} is here (received earlier and verified, or written and committed in this run). */
    public synchronized boolean has(int i) {
        return present[i];
    }

    /** Whether every chunk is here. */
    public synchronized boolean complete() {
        for (boolean p : present) {
            if (!p) {
                return false;
            }
        }
        return true;
    }

    /** Content bytes taken back from an earlier, interrupted transfer. */
    public long resumedBytes() {
        return resumedBytes;
    }

    /** Recorded chunks that no longer matched their hash (damaged or tampered with) and will be fetched again. */
    public int discardedChunks() {
        return discardedChunks;
    }

    /** Whether a record of an earlier transfer of this content exists in {@code dir} (worth {@link #open}ing to ask for less). */
    public static boolean exists(Path dir, byte[] fileHash) {
        return Files.isRegularFile(recordPath(dir, fileHash));
    }

    /** Where the record ({@code .have}) of the content with {@code fileHash} lives under {@code dir}; its {@code .part} is beside it. */
    public static Path recordPath(Path dir, byte[] fileHash) {
        String name = HexFormat.of().formatHex(fileHash);
        return dir.resolve(name.substring(0, 2)).resolve(name + ".have");
    }

    /** Writes chunk {@code i}, already checked against the manifest, at its offset (not recorded until {@link #commit}). */
    public synchronized void write(int i, byte[] buf, int off, int len) throws IOException {
        if (len != lengths[i]) {
            throw new IllegalArgumentException("chunk " + i + " has " + len + " bytes, not " + lengths[i]);
        }
        reopen();
        writeFully(data, ByteBuffer.wrap(buf, off, len), offsets[i]);
    }

    /**
     * Records the written chunks as received. Not forced to disk: the record outlives a crashed process
     * (the operating system still writes it), and after a power cut a chunk the disk did not get fails
     * its hash on {@link #open} and is fetched again — a transfer of many small files does not pay two
     * disk flushes per file.
     */
    public synchronized void commit(List<Integer> chunks) throws IOException {
        if (chunks.isEmpty()) {
            return;
        }
        reopen();
        ByteBuffer b = ByteBuffer.allocate(4 * chunks.size());
        for (int i : chunks) {
            b.putInt(i);
        }
        b.flip();
        while (b.hasRemaining()) {
            record.write(b);
        }
        for (int i : chunks) {
            present[i] = true;
        }
    }

    /** The assembled file (complete once every chunk is here). */
    public Path file() {
        return part;
    }

    /**
     * Puts the complete file at {@code target} without copying it: forced to disk with date
     * {@code mtimeNanos} (and {@code mode}, when not negative, on a POSIX file system), then linked there —
     * a link never replaces, so an item that appeared at {@code target} meanwhile stays and this fails —
     * and its state-area name and record are removed. On failure nothing is at {@code target} and the
     * partial file is as it was.
     */
    public synchronized void moveTo(Path target, long mtimeNanos, int mode) throws IOException {
        if (!complete()) {
            throw new IllegalStateException("the partial file is not complete");
        }
        close();
        Files.setLastModifiedTime(part, FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS));
        PosixFileAttributeView posix = mode >= 0 ? Files.getFileAttributeView(part, PosixFileAttributeView.class) : null;
        if (posix != null) { // no file-store lookup per file: that reads the system's mount table each time
            posix.setPermissions(PosixMode.permissions(mode));
        }
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.createLink(target, part);
        Files.deleteIfExists(part);
        Files.deleteIfExists(have);
    }

    /** Removes the file and its record (after the content reached its place). */
    public synchronized void delete() throws IOException {
        close();
        Files.deleteIfExists(part);
        Files.deleteIfExists(have);
    }

    /**
     * Closes the file handles until the next {@link #write} or {@link #commit} (which open them again):
     * a run with thousands of files in flight keeps only the ones being written open.
     */
    public synchronized void suspend() throws IOException {
        close();
    }

    private synchronized void reopen() throws IOException {
        if (data == null) {
            data = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        if (record == null) {
            record = FileChannel.open(have, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (data != null) {
                data.close();
            }
        } finally {
            data = null;
            if (record != null) {
                record.close();
            }
            record = null;
        }
    }

    /**
     * Deletes partial files whose record was not written for longer than {@code maxAge} (transfers nobody
     * will resume). The record's date counts: the data file takes the source's date once complete.
     */
    public static void prune(Path dir, Duration maxAge) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Instant limit = Instant.now().minus(maxAge);
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir, "[0-9a-f][0-9a-f]")) {
            for (Path shard : shards) {
                pruneFolder(shard, limit);
            }
        } catch (IOException e) {
            // nothing to prune
        }
        pruneFolder(dir, limit); // the flat layout of earlier versions
    }

    private static void pruneFolder(Path dir, Instant limit) {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{part,have}")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                Path have = p.resolveSibling(name.substring(0, name.length() - 5) + ".have");
                try {
                    if (!Files.exists(have) || Files.getLastModifiedTime(have).toInstant().isBefore(limit)) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    // try again next time
                }
            }
        } catch (IOException e) {
            // nothing to prune
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("partial file ends early");
            }
            pos += n;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
