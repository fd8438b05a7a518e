package org.ciphersync.core.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.ciphersync.core.path.RelPath;

/**
 * A strict in-memory {@link FileTree} for tests and simulations. It fails exactly where a POSIX
 * file system would (missing parent, rename of a file onto a directory, delete of a non-empty
 * directory, {@link #createNew} on a taken name, …) so code that passes against it does not rely
 * on leniency. Symbolic links are plain entries, never followed: a path that runs through a link
 * fails like {@code O_NOFOLLOW} would.
 *
 * <p>In case-insensitive mode names are compared after NFC normalization and lower-casing (like
 * APFS or NTFS) but stored as created; renaming {@code a} to {@code A} changes the stored name.
 *
 * <p>Thread-safe: every operation holds the tree's lock, and channels lock it per call, so a
 * parallel apply can run against one tree. Build fixtures declaratively:
 *
 * <pre>{@code
 * MemoryFileTree tree = MemoryFileTree.of(
 *         file("a.txt", "hello"),
 *         dir("docs", file("b.md", "# b").mtime(1_000_000_000L), symlink("loop", "..")));
 * }</pre>
 */
public final class MemoryFileTree implements FileTree {

    /** Modification time fixture entries get unless they say otherwise: 2024-01-01T00:00:00Z. */
    public static final long DEFAULT_MTIME_NANOS = 1_704_067_200_000_000_000L;

    private final String name;
    private final boolean caseSensitive;
    private final boolean posix;
    private final LongSupplier clockNanos;
    private final Dir root;
    private long nextFileKey = 1;

    private MemoryFileTree(String name, boolean caseSensitive, boolean posix, LongSupplier clockNanos) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.caseSensitive = caseSensitive;
        this.posix = posix;
        this.clockNanos = Objects.requireNonNull(clockNanos, "clockNanos == null");
        this.root = new Dir("", DEFAULT_MTIME_NANOS, 0755, nextFileKey++);
    }

    /** A case-sensitive tree with POSIX permissions and the system clock, holding {@code entries}. */
    public static MemoryFileTree of(Spec... entries) {
        return builder().build(entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a new tree. */
    public static final class Builder {
        private String name = "memory";
        private boolean caseSensitive = true;
        private boolean posix = true;
        private LongSupplier clock = () -> {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };

        private Builder() {
        }

        /** The name {@link #describe()} shows (it also identifies the tree in a node set). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name == null");
            return this;
        }

        /** Names are compared case- and normalization-insensitively (stored as created). */
        public Builder caseInsensitive() {
            this.caseSensitive = false;
            return this;
        }

        /** No permission bits: modes read as -1 and {@link #setPosixMode} returns false. */
        public Builder noPosix() {
            this.posix = false;
            return this;
        }

        /** The clock that stamps creations and writes (nanoseconds since the epoch). */
        public Builder clock(LongSupplier nanos) {
            this.clock = Objects.requireNonNull(nanos, "nanos == null");
            return this;
        }

        public MemoryFileTree build(Spec... entries) {
            MemoryFileTree tree = new MemoryFileTree(name, caseSensitive, posix, clock);
            try {
                for (Spec s : entries) {
                    tree.add(RelPath.ROOT, s);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("invalid fixture: " + e.getMessage(), e);
            }
            return tree;
        }
    }

    // ---------------------------------------------------------------- fixtures

    /** A declarative fixture entry. */
    public sealed interface Spec permits FileSpec, DirSpec, LinkSpec {
        String name();
    }

    /** A regular file fixture. */
    public record FileSpec(String name, byte[] content, long mtimeNanos, int mode, boolean readable)
            implements Spec {
        public FileSpec {
            Objects.requireNonNull(name, "name == null");
            content = content.clone();
        }

        public FileSpec mtime(long nanos) {
            return new FileSpec(name, content, nanos, mode, readable);
        }

        public FileSpec mode(int m) {
            return new FileSpec(name, content, mtimeNanos, m, readable);
        }

        /** Reading fails with {@link AccessDeniedException} (like a file without read permission). */
        public FileSpec unreadable() {
            return new FileSpec(name, content, mtimeNanos, mode, false);
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    /** A directory fixture with its children. */
    public record DirSpec(String name, List<Spec> children, long mtimeNanos, int mode, boolean readable)
            implements Spec {
        public DirSpec {
            Objects.requireNonNull(name, "name == null");
            children = List.copyOf(children);
        }

        public DirSpec mtime(long nanos) {
            return new DirSpec(name, children, nanos, mode, readable);
        }

        public DirSpec mode(int m) {
            return new DirSpec(name, children, mtimeNanos, m, readable);
        }

        /** Listing fails with {@link AccessDeniedException}. */
        public DirSpec unreadable() {
            return new DirSpec(name, children, mtimeNanos, mode, false);
        }
    }

    /** A symbolic link fixture (the target is text; it is never resolved). */
    public record LinkSpec(String name, String target) implements Spec {
    }

    public static FileSpec file(String name, String utf8Content) {
        return file(name, utf8Content.getBytes(StandardCharsets.UTF_8));
    }

    public static FileSpec file(String name, byte[] content) {
        return new FileSpec(name, content, DEFAULT_MTIME_NANOS, 0644, true);
    }

    public static DirSpec dir(String name, Spec... children) {
        return new DirSpec(name, List.of(children), DEFAULT_MTIME_NANOS, 0755, true);
    }

    public static LinkSpec symlink(String name, String target) {
        return new LinkSpec(name, target);
    }

    private void add(RelPath parent, Spec spec) throws IOException {
        RelPath p = parent.resolve(RelPath.of(spec.name()));
        synchronized (this) {
            Dir d = dirAt(p.parent());
            String key = key(p.name());
            if (d.children.containsKey(key)) {
                throw new FileAlreadyExistsException(p.toString());
            }
            switch (spec) {
                case FileSpec f -> {
                    FileNode n = new FileNode(p.name(), f.mtimeNanos(), f.mode(), nextFileKey++);
                    n.data = f.content();
                    n.size = n.data.length;
                    n.readable = f.readable();
                    d.children.put(key, n);
                }
                case DirSpec ds -> {
                    Dir n = new Dir(p.name(), ds.mtimeNanos(), ds.mode(), nextFileKey++);
                    n.readable = ds.readable();
                    d.children.put(key, n);
                }
                case LinkSpec l -> d.children.put(key, new Link(p.name(), l.target(), DEFAULT_MTIME_NANOS,
                        nextFileKey++));
            }
        }
        if (spec instanceof DirSpec ds) {
            for (Spec c : ds.children()) {
                add(p, c);
            }
        }
    }

    // ---------------------------------------------------------------- nodes

    private abstract static sealed class Node permits FileNode, Dir, Link {
        String name;
        long mtime;
        int mode;
        final long fileKey;
        boolean readable = true;

        Node(String name, long mtime, int mode, long fileKey) {
            this.name = name;
            this.mtime = mtime;
            this.mode = mode;
            this.fileKey = fileKey;
        }
    }

    private static final class FileNode extends Node {
        byte[] data = new byte[0];
        int size;
        int fsyncs;

        FileNode(String name, long mtime, int mode, long fileKey) {
            super(name, mtime, mode, fileKey);
        }
    }

    private static final class Dir extends Node {
        final Map<String, Node> children = new LinkedHashMap<>();

        Dir(String name, long mtime, int mode, long fileKey) {
            super(name, mtime, mode, fileKey);
        }
    }

    private static final class Link extends Node {
        final String target;

        Link(String name, String target, long mtime, long fileKey) {
            super(name, mtime, 0777, fileKey);
            this.target = target;
        }
    }

    private String key(String segment) {
        String n = Normalizer.normalize(segment, Normalizer.Form.NFC);
        return caseSensitive ? n : n.toLowerCase(Locale.ROOT);
    }

    /** The node at {@code path} or null; fails when an ancestor is missing-through-file or a link. */
    private Node find(RelPath path) throws IOException {
        if (path.isRoot()) {
            return root;
        }
        Dir d = dirAt(path.parent());
        return d.children.get(key(path.name()));
    }

    /** The directory at {@code path}, failing like the OS when it is absent or not a directory. */
    private Dir dirAt(RelPath path) throws IOException {
        Node cur = root;
        if (path.isRoot()) {
            return root;
        }
        StringBuilder walked = new StringBuilder();
        for (String seg : path.value().split("/")) {
            if (!walked.isEmpty()) {
                walked.append('/');
            }
            walked.append(seg);
            if (!(cur instanceof Dir d)) {
                throw new FileSystemException(walked.toString(), null, "Not a directory");
            }
            Node next = d.children.get(key(seg));
            if (next == null) {
                throw new NoSuchFileException(walked.toString());
            }
            cur = next;
        }
        if (cur instanceof Link) {
            throw new FileSystemException(path.toString(), null, "Too many levels of symbolic links (not followed)");
        }
        if (!(cur instanceof Dir d)) {
            throw new NotDirectoryException(path.toString());
        }
        return d;
    }

    private FileAttrs attrs(Node n) {
        int mode = posix ? n.mode : FileAttrs.NO_MODE;
        return switch (n) {
            case FileNode f -> new FileAttrs(EntryType.FILE, f.size, f.mtime, mode, f.fileKey);
            case Dir d -> new FileAttrs(EntryType.DIRECTORY, 0, d.mtime, mode, d.fileKey);
            case Link l -> new FileAttrs(EntryType.SYMLINK, l.target.getBytes(StandardCharsets.UTF_8).length,
                    l.mtime, mode, l.fileKey);
        };
    }

    private FileNode fileAt(RelPath path) throws IOException {
        Node n = find(path);
        if (n == null) {
            throw new NoSuchFileException(path.toString());
        }
        if (n instanceof Dir) {
            throw new FileSystemException(path.toString(), null, "Is a directory");
        }
        if (n instanceof Link) {
            throw new FileSystemException(path.toString(), null, "Too many levels of symbolic links (not followed)");
        }
        return (FileNode) n;
    }

    private long now() {
        return clockNanos.getAsLong();
    }

    // ---------------------------------------------------------------- FileTree

    @Override
    public String describe() {
        return "memory:" + name;
    }

    @Override
    public boolean caseSensitive() {
        return caseSensitive;
    }

    @Override
    public synchronized Optional<FileAttrs> stat(RelPath path) throws IOException {
        Node n;
        try {
            n = find(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(n).map(this::attrs);
    }

    @Override
    public synchronized List<DirEntry> list(RelPath dir) throws IOException {
        Dir d = dirAt(dir);
        if (!d.readable) {
            throw new AccessDeniedException(dir.toString());
        }
        List<DirEntry> out = new ArrayList<>(d.children.size());
        for (Node n : d.children.values()) {
            out.add(new DirEntry(n.name, attrs(n)));
        }
        return out;
    }

    @Override
    public synchronized SeekableByteChannel openRead(RelPath file) throws IOException {
        FileNode f = fileAt(file);
        if (!f.readable) {
            throw new AccessDeniedException(file.toString());
        }
        return new MemChannel(f, false);
    }

    @Override
    public synchronized SeekableByteChannel createNew(RelPath file) throws IOException {
        if (file.isRoot()) {
            throw new FileAlreadyExistsException("/");
        }
        Dir d = dirAt(file.parent());
        String k = key(file.name());
        if (d.children.containsKey(k)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        FileNode f = new FileNode(file.name(), now(), 0644, nextFileKey++);
        d.children.put(k, f);
        d.mtime = now();
        return new MemChannel(f, true);
    }

    @Override
    public synchronized SeekableByteChannel openWrite(RelPath file) throws IOException {
        return new MemChannel(fileAt(file), true);
    }

    @Override
    public synchronized void fsync(RelPath file) throws IOException {
        fileAt(file).fsyncs++;
    }

    @Override
    public synchronized void fsyncDirectory(RelPath dir) throws IOException {
        dirAt(dir);
    }

    @Override
    public synchronized void rename(RelPath from, RelPath to) throws IOException {
        if (from.isRoot() || to.isRoot()) {
            throw new FileSystemException(from.toString(), to.toString(), "Device or resource busy");
        }
        Dir fromDir = dirAt(from.parent());
        String fromKey = key(from.name());
        Node n = fromDir.children.get(fromKey);
        if (n == null) {
            throw new NoSuchFileException(from.toString());
        }
        Dir toDir = dirAt(to.parent());
        String toKey = key(to.name());
        if (n instanceof Dir && to.startsWith(from) && !to.equals(from)
                && !(fromDir == toDir && fromKey.equals(toKey))) {
            throw new FileSystemException(from.toString(), to.toString(), "Invalid argument (into itself)");
        }
        Node existing = toDir.children.get(toKey);
        if (existing != null && existing != n) {
            if (n instanceof Dir) {
                if (!(existing instanceof Dir ed)) {
                    throw new FileSystemException(from.toString(), to.toString(), "Not a directory");
                }
                if (!ed.children.isEmpty()) {
                    throw new DirectoryNotEmptyException(to.toString());
                }
            } else if (existing instanceof Dir) {
                throw new FileSystemException(from.toString(), to.toString(), "Is a directory");
            }
        }
        fromDir.children.remove(fromKey);
        n.name = to.name();
        toDir.children.put(toKey, n);
        long t = now();
        fromDir.mtime = t;
        toDir.mtime = t;
    }

    @Override
    public synchronized void delete(RelPath path) throws IOException {
        if (path.isRoot()) {
            throw new FileSystemException("/", null, "Device or resource busy");
        }
        Dir d = dirAt(path.parent());
        String k = key(path.name());
        Node n = d.children.get(k);
        if (n == null) {
            throw new NoSuchFileException(path.toString());
        }
        if (n instanceof Dir dd && !dd.children.isEmpty()) {
            throw new DirectoryNotEmptyException(path.toString());
        }
        d.children.remove(k);
        d.mtime = now();
    }

    @Override
    public synchronized void createDirectories(RelPath dir) throws IOException {
        Dir cur = root;
        RelPath walked = RelPath.ROOT;
        if (dir.isRoot()) {
            return;
        }
        for (String seg : dir.value().split("/")) {
            walked = walked.resolve(seg);
            Node next = cur.children.get(key(seg));
            if (next == null) {
                Dir created = new Dir(seg, now(), 0755, nextFileKey++);
                cur.children.put(key(seg), created);
                cur.mtime = now();
                next = created;
            }
            if (next instanceof Link) {
                throw new FileSystemException(walked.toString(), null, "Is a symbolic link (not followed)");
            }
            if (!(next instanceof Dir d)) {
                throw new FileAlreadyExistsException(walked.toString());
            }
            cur = d;
        }
    }

    @Override
    public synchronized void setMtime(RelPath path, long mtimeNanos) throws IOException {
        Node n = find(path);
        if (n == null) {
            throw new NoSuchFileException(path.toString());
        }
        n.mtime = mtimeNanos;
    }

    @Override
    public synchronized boolean setPosixMode(RelPath path, int mode) throws IOException {
        Node n = find(path);
        if (n == null) {
            throw new NoSuchFileException(path.toString());
        }
        if (!posix) {
            return false;
        }
        n.mode = mode & 07777;
        return true;
    }

    @Override
    public synchronized String readLink(RelPath link) throws IOException {
        Node n = find(link);
        if (n == null) {
            throw new NoSuchFileException(link.toString());
        }
        if (!(n instanceof Link l)) {
            throw new NotLinkException(link.toString());
        }
        return l.target;
    }

    @Override
    public Set<Capability> capabilities() {
        return posix ? EnumSet.of(Capability.POSIX_MODE, Capability.FILE_KEY) : EnumSet.of(Capability.FILE_KEY);
    }

    // ---------------------------------------------------------------- test helpers

    /** Adds entries below {@code parent} (which must exist), like the builder does. */
    public void add(String parent, Spec... entries) {
        try {
            for (Spec s : entries) {
                add(RelPath.of(parent), s);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot add fixture below '" + parent + "': " + e.getMessage(), e);
        }
    }

    /** Replaces a file's content (creating it when absent), stamping the clock's time. */
    public synchronized void write(String path, byte[] content) throws IOException {
        RelPath p = RelPath.of(path);
        Node n = find(p);
        if (n == null) {
            try (SeekableByteChannel ch = createNew(p)) {
                ch.write(ByteBuffer.wrap(content));
            }
            return;
        }
        FileNode f = fileAt(p);
        f.data = content.clone();
        f.size = content.length;
        f.mtime = now();
    }

    public void write(String path, String utf8) throws IOException {
        write(path, utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** The content of a regular file. */
    public synchronized byte[] read(String path) throws IOException {
        FileNode f = fileAt(RelPath.of(path));
        return Arrays.copyOf(f.data, f.size);
    }

    public String readString(String path) throws IOException {
        return new String(read(path), StandardCharsets.UTF_8);
    }

    /** Makes reading or listing the entry fail with {@link AccessDeniedException}. */
    public synchronized void setReadable(String path, boolean readable) throws IOException {
        Node n = find(RelPath.of(path));
        if (n == null) {
            throw new NoSuchFileException(path);
        }
        n.readable = readable;
    }

    /** How often {@link #fsync} was called for the file (for durability assertions). */
    public synchronized int fsyncCount(String path) throws IOException {
        return fileAt(RelPath.of(path)).fsyncs;
    }

    /**
     * Every entry below the root, in {@link RelPath} order, as a printable summary:
     * files map to their UTF-8 content (prefixed {@code "file:"}), directories to {@code "dir"},
     * links to {@code "link:"} plus the target. Handy for equality assertions between trees.
     */
    public synchronized Map<RelPath, String> snapshot() {
        Map<RelPath, String> out = new TreeMap<>();
        walk(root, RelPath.ROOT, out);
        return out;
    }

    private void walk(Dir d, RelPath at, Map<RelPath, String> out) {
        for (Node n : d.children.values()) {
            RelPath p = at.resolve(n.name);
            switch (n) {
                case FileNode f -> out.put(p, "file:" + new String(f.data, 0, f.size, StandardCharsets.UTF_8));
                case Link l -> out.put(p, "link:" + l.target);
                case Dir sub -> {
                    out.put(p, "dir");
                    walk(sub, p, out);
                }
            }
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    // ---------------------------------------------------------------- channel

    /** A channel on a file node; every call holds the tree's lock, like a shared page cache. */
    private final class MemChannel implements SeekableByteChannel {
        private final FileNode f;
        private final boolean writable;
        private long position;
        private boolean open = true;

        MemChannel(FileNode f, boolean writable) {
            this.f = f;
            this.writable = writable;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            synchronized (MemoryFileTree.this) {
                ensureOpen();
                if (writable) {
                    throw new NonReadableChannelException();
                }
                if (position >= f.size) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), f.size - position);
                dst.put(f.data, (int) position, n);
                position += n;
                return n;
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            synchronized (MemoryFileTree.this) {
                ensureOpen();
                if (!writable) {
                    throw new NonWritableChannelException();
                }
                int n = src.remaining();
                long end = position + n;
                if (end > Integer.MAX_VALUE - 8) {
                    throw new FileSystemException("memory file too large");
                }
                if (end > f.data.length) {
                    f.data = Arrays.copyOf(f.data, (int) Math.max(end, Math.min(Integer.MAX_VALUE - 8L,
                            f.data.length * 2L)));
                }
                if (position > f.size) {
                    Arrays.fill(f.data, f.size, (int) position, (byte) 0);
                }
                src.get(f.data, (int) position, n);
                position = end;
                f.size = (int) Math.max(f.size, end);
                f.mtime = now();
                return n;
            }
        }

        @Override
        public long position() throws IOException {
            synchronized (MemoryFileTree.this) {
                ensureOpen();
                return position;
            }
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            synchronized (MemoryFileTree.this) {
                ensureOpen();
                if (newPosition < 0) {
                    throw new IllegalArgumentException("position " + newPosition + " < 0");
                }
                position = newPosition;
                return this;
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (MemoryFileTree.this) {
                ensureOpen();
                return f.size;
            }
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            synchronized (MemoryFileTree.this) {
                ensureOpen();
                if (!writable) {
                    throw new NonWritableChannelException();
                }
                if (size < f.size) {
                    f.size = (int) size;
                    f.mtime = now();
                }
                position = Math.min(position, size);
                return this;
            }
        }

        @Override
        public boolean isOpen() {
            synchronized (MemoryFileTree.this) {
                return open;
            }
        }

        @Override
        public void close() {
            synchronized (MemoryFileTree.this) {
                open = false;
            }
        }

        private void ensureOpen() throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
        }
    }
}
