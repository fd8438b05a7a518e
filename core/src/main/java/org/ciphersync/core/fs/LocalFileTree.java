package org.ciphersync.core.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.ciphersync.core.path.RelPath;

/**
 * A {@link FileTree} on the local file system (NIO), rooted at a directory.
 *
 * <p>No operation follows a symbolic link below the root: metadata is read with
 * {@link LinkOption#NOFOLLOW_LINKS}, files are opened with {@code NOFOLLOW_LINKS} (Linux
 * {@code O_NOFOLLOW}), and before every operation each existing ancestor of the path is checked
 * to be a real directory, so a link planted at {@code a} cannot redirect {@code a/b} outside the
 * root. The root itself is resolved once, at construction ({@link Path#toRealPath}), so a root
 * reached through a link is fine.
 *
 * <p>Known limit: Java has no {@code openat}, so the ancestor check and the operation are two
 * steps; a process that swaps a directory for a link in between can still redirect one
 * operation. The engine's own writes go to temporary names first, which narrows but does not
 * close that window; the threat model assumes local processes of the same user are trusted.
 *
 * <p>Metadata comes from one {@code lstat} per entry through the {@code unix} attribute view
 * where available (mode, inode, device, nanosecond mtime); elsewhere from the basic and POSIX
 * views, with {@code fileKey = -1} and {@code posixMode = -1} where they do not exist.
 *
 * <p>Thread-safe (it holds no mutable state).
 */
public final class LocalFileTree implements FileTree {
    private static final System.Logger LOG = System.getLogger(LocalFileTree.class.getName());
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    /** What the JDK puts in place of undecodable bytes of a file name. */
    public static final char UNDECODABLE = '\uFFFD';
    private final Path root;
    private final boolean caseSensitive;
    private final boolean unixView;
    private final boolean posixView;
    private final Set<Capability> capabilities;
    /**
     * Ancestors already seen to be real directories (not links), so that a path's ancestors are
     * checked once per tree instead of on every operation. The engine never creates links, and
     * entries are dropped when the engine deletes or renames a directory; a link planted by another
     * local process mid-run is the same check-then-use race as without the cache (Java has no
     * {@code openat}), documented in docs/design.md.
     */
    private final Set<String> realDirectories = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A tree rooted at {@code root}, which MUST be an existing directory; whether names are
     * case-sensitive is probed on the root's file system (see {@link #probeCaseSensitive}).
     */
    public LocalFileTree(Path root) throws IOException {
        this(root, null);
    }

    /**
     * A tree rooted at {@code root} with the given case sensitivity ({@code null}: probe it).
     */
    public LocalFileTree(Path root, Boolean caseSensitive) throws IOException {
        Objects.requireNonNull(root, "root == null");
        Path real = root.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new NotDirectoryException(root + " (a sync root must be a directory)");
        }
        this.root = real;
        Set<String> views = real.getFileSystem().supportedFileAttributeViews();
        this.unixView = views.contains("unix");
        this.posixView = views.contains("posix");
        EnumSet<Capability> caps = EnumSet.noneOf(Capability.class);
        if (posixView) {
            caps.add(Capability.POSIX_MODE);
        }
        if (unixView) {
            caps.add(Capability.FILE_KEY);
        }
        this.capabilities = Collections.unmodifiableSet(caps);
        this.caseSensitive = caseSensitive != null ? caseSensitive : probeCaseSensitive(real);
    }

    /** The absolute, real root directory. */
    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public boolean caseSensitive() {
        return caseSensitive;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Optional<FileAttrs> stat(RelPath path) throws IOException {
        Path p = resolve(path);
        try {
            return Optional.of(attrs(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<DirEntry> list(RelPath dir) throws IOException {
        Path d = resolve(dir);
        FileAttrs da = attrs(d);
        if (!da.isDirectory()) {
            throw new NotDirectoryException(d.toString());
        }
        List<DirEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path child : ds) {
                String name = child.getFileName().toString();
                try {
                    out.add(new DirEntry(name, attrs(child)));
                } catch (NoSuchFileException vanished) {
                    if (name.indexOf(UNDECODABLE) >= 0) {
                        // Bytes that are not valid in the platform encoding were decoded with
                        // replacements, so the entry cannot be reached by this name: list it so
                        // the scan reports it instead of silently losing it.
                        out.add(new DirEntry(name, new FileAttrs(EntryType.OTHER, 0, 0, FileAttrs.NO_MODE, -1)));
                    }
                    // otherwise deleted between readdir and lstat: it is not there any more
                }
            }
        }
        return out;
    }

    @Override
    public SeekableByteChannel openRead(RelPath file) throws IOException {
        Path p = resolveRegularFile(file);
        return FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public SeekableByteChannel createNew(RelPath file) throws IOException {
        Path p = resolve(file);
        return FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public SeekableByteChannel openWrite(RelPath file) throws IOException {
        Path p = resolveRegularFile(file);
        return FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void fsync(RelPath file) throws IOException {
        Path p = resolveRegularFile(file);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ch.force(true);
        }
    }

    @Override
    public void fsync(RelPath file, SeekableByteChannel open) throws IOException {
        if (open instanceof FileChannel fc && fc.isOpen()) {
            fc.force(true); // no second path resolution, open and close
        } else {
            fsync(file);
        }
    }

    @Override
    public void fsyncDirectory(RelPath dir) throws IOException {
        Path d = resolve(dir);
        if (!attrs(d).isDirectory()) {
            throw new NotDirectoryException(d.toString());
        }
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException unsupported) {
            // Windows cannot open directories; some file systems refuse fsync on them.
            LOG.log(System.Logger.Level.DEBUG, "fsync of directory {0} not supported: {1}", d, unsupported.toString());
        }
    }

    @Override
    public void rename(RelPath from, RelPath to) throws IOException {
        Path f = resolve(from);
        Path t = resolve(to);
        forget(from);
        forget(to);
        Files.move(f, t, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Drops cached knowledge about {@code path} and below (it is being moved or deleted). */
    private void forget(RelPath path) {
        if (realDirectories.remove(path.value())) {
            String prefix = path.value() + "/";
            realDirectories.removeIf(d -> d.startsWith(prefix));
        }
    }

    @Override
    public void delete(RelPath path) throws IOException {
        if (path.isRoot()) {
            throw new FileSystemException(root.toString(), null, "refusing to delete the sync root");
        }
        Path p = resolve(path);
        forget(path);
        Files.delete(p);
    }

    @Override
    public void createDirectories(RelPath dir) throws IOException {
        Path current = root;
        String[] names = dir.isRoot() ? new String[0] : dir.value().split("/");
        for (String name : names) {
            current = current.resolve(name);
            FileAttrs a;
            try {
                a = attrs(current);
            } catch (NoSuchFileException missing) {
                try {
                    Files.createDirectory(current);
                    continue;
                } catch (FileAlreadyExistsException race) {
                    a = attrs(current);
                }
            }
            if (a.type() == EntryType.SYMLINK) {
                throw new FileSystemException(current.toString(), null, "is a symbolic link, not a directory");
            }
            if (!a.isDirectory()) {
                throw new NotDirectoryException(current.toString());
            }
        }
    }

    @Override
    public void setMtime(RelPath path, long mtimeNanos) throws IOException {
        Path p = resolve(path);
        Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS), FileTime.from(java.time.Instant.now()), null);
    }

    @Override
    public boolean setPosixMode(RelPath path, int mode) throws IOException {
        if (!posixView) {
            return false;
        }
        Path p = resolve(path);
        FileAttrs a = attrs(p);
        if (a.type() == EntryType.SYMLINK) {
            throw new FileSystemException(p.toString(), null, "cannot set permissions of a symbolic link");
        }
        if (a.posixMode() != FileAttrs.NO_MODE && (a.posixMode() & 0777) == (mode & 0777)) {
            return true; // already so: spares an open, a chmod and a close per file
        }
        Files.getFileAttributeView(p, PosixFileAttributeView.class, NOFOLLOW).setPermissions(PosixMode.permissions(mode));
        return true;
    }

    @Override
    public String readLink(RelPath link) throws IOException {
        Path p = resolve(link);
        if (attrs(p).type() != EntryType.SYMLINK) {
            throw new NotLinkException(p.toString());
        }
        return Files.readSymbolicLink(p).toString();
    }

    @Override
    public String toString() {
        return "LocalFileTree[" + root + "]";
    }

    /**
     * Maps {@code path} below the root, refusing when an existing ancestor is not a real
     * directory (a symbolic link or a file).
     */
    Path resolve(RelPath path) throws IOException {
        if (path.isRoot()) {
            return root;
        }
        String v = path.value();
        int slash = v.indexOf('/');
        while (slash >= 0) {
            String prefix = v.substring(0, slash);
            if (realDirectories.contains(prefix)) {
                slash = v.indexOf('/', slash + 1);
                continue;
            }
            Path ancestor = root.resolve(prefix);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(ancestor, BasicFileAttributes.class, NOFOLLOW);
            } catch (NoSuchFileException missing) {
                break; // the operation itself will report the missing parent
            }
            if (a.isSymbolicLink()) {
                throw new FileSystemException(root.resolve(v).toString(), null,
                        "path runs through the symbolic link '" + v.substring(0, slash) + "'; links are never followed");
            }
            if (!a.isDirectory()) {
                throw new NotDirectoryException(ancestor.toString());
            }
            realDirectories.add(prefix);
            slash = v.indexOf('/', slash + 1);
        }
        return root.resolve(v);
    }

    private Path resolveRegularFile(RelPath file) throws IOException {
        Path p = resolve(file);
        FileAttrs a = attrs(p);
        if (!a.isFile()) {
            // Never open a FIFO (it would block) or a device; never a link or a directory.
            throw new FileSystemException(p.toString(), null, "not a regular file (" + a.type().name().toLowerCase(Locale.ROOT) + ")");
        }
        return p;
    }

    /** One {@code lstat}. */
    FileAttrs attrs(Path p) throws IOException {
        BasicFileAttributes b = posixView
                ? Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW)
                : Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        EntryType type = type(b.isRegularFile(), b.isDirectory(), b.isSymbolicLink());
        int mode = b instanceof PosixFileAttributes px ? PosixMode.bits(px.permissions()) : FileAttrs.NO_MODE;
        long key = -1;
        if (unixView) {
            key = fileKey(b.fileKey());
            if (key == -1) {
                // The platform's key did not read as (dev, ino): ask for both by name (slower: a map per call).
                Map<String, Object> m = Files.readAttributes(p, "unix:ino,dev", NOFOLLOW);
                key = fileKey((Long) m.get("ino"), (Long) m.get("dev"));
            }
        }
        return new FileAttrs(type, type == EntryType.FILE ? b.size() : 0,
                b.lastModifiedTime().to(TimeUnit.NANOSECONDS), mode, key);
    }

    /**
     * The inode and device of a Unix file key, whose text is {@code (dev=HEX,ino=DECIMAL)}, mixed as
     * {@link #fileKey(long, long)} does; -1 when the key does not read that way. One stat call gives
     * type, size, date, permissions and this key: the {@code unix:} attribute view would give the same
     * through a map built per call, three times slower on a tree of small files.
     */
    static long fileKey(Object platformKey) {
        String k = platformKey == null ? "" : platformKey.toString();
        int comma = k.indexOf(",ino=");
        if (!k.startsWith("(dev=") || comma < 0 || !k.endsWith(")")) {
            return -1;
        }
        try {
            long dev = Long.parseUnsignedLong(k, 5, comma, 16);
            long ino = Long.parseUnsignedLong(k, comma + 5, k.length() - 1, 10);
            return fileKey(ino, dev);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static EntryType type(boolean file, boolean dir, boolean link) {
        return file ? EntryType.FILE : dir ? EntryType.DIRECTORY : link ? EntryType.SYMLINK : EntryType.OTHER;
    }

    /** Inode and device mixed into one long; never -1 (which means unknown). */
    static long fileKey(long ino, long dev) {
        long k = ino ^ Long.rotateLeft(dev * 0x9E3779B97F4A7C15L, 32);
        return k == -1 ? -2 : k;
    }

    /**
     * Probes whether names differing only by case are distinct on {@code dir}'s file system:
     * first without writing (an existing entry whose name has letters is looked up with its
     * case swapped), then by creating and removing a probe file; when neither is possible, the
     * platform's usual default (sensitive except on Windows and macOS).
     */
    static boolean probeCaseSensitive(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path child : ds) {
                String name = child.getFileName().toString();
                String swapped = swapCase(name);
                if (!swapped.equals(name)) {
                    Path other = dir.resolve(swapped);
                    if (!Files.exists(other, NOFOLLOW)) {
                        return true;
                    }
                    Object k1 = Files.readAttributes(child, BasicFileAttributes.class, NOFOLLOW).fileKey();
                    Object k2 = Files.readAttributes(other, BasicFileAttributes.class, NOFOLLOW).fileKey();
                    if (k1 != null && k2 != null) {
                        return !k1.equals(k2);
                    }
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the write probe
        }
        Path probe = dir.resolve(".ciphersync-case-probe-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createFile(probe);
            try {
                return !Files.exists(dir.resolve(probe.getFileName().toString().toUpperCase(Locale.ROOT)), NOFOLLOW);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            return !(os.contains("win") || os.contains("mac"));
        }
    }

    private static String swapCase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(
                Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.isLowerCase(c) ? Character.toUpperCase(c) : c));
        return b.toString();
    }
}
