package org.ciphersync.core.inventory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.fs.DirEntry;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.fs.FileAttrs;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.settings.PathFilter;
import org.ciphersync.core.settings.SyncSettings;

/**
 * The Data Inventory (S8): scans data sources and fingerprints file content, in two phases.
 *
 * <p><b>Phase 1 (metadata)</b>, one task per source: a depth-first walk that lists every
 * directory once, applies the {@link PathFilter} before descending, and classifies what it
 * cannot synchronize as {@link Skipped} (symbolic links, special files, invalid or too long
 * names, names that collide when case is ignored, unreadable directories). The node's state
 * folder {@value #STATE_DIR} at the root is never listed. Fingerprints from the
 * {@link InventoryCache} are attached where size, mtime and file key are unchanged.
 *
 * <p><b>Phase 2 (content)</b>: the files that need a fingerprint are read and hashed on a pool
 * of {@link Options#threads()} threads, largest first, each thread with its own reusable
 * {@link Fingerprinter}. In {@link SyncSettings.AnalysisMode#CHECKSUM} mode that is every file;
 * in {@link SyncSettings.AnalysisMode#SMART} mode only files present on two or more nodes (paired
 * by {@link SyncSettings#matchKey}) whose size or mtime differ between those nodes. A file whose
 * size or mtime changes while it is read is read once more, then reported as
 * {@link Skipped.Reason#CHANGED_DURING_SCAN}; a file that cannot be opened is
 * {@link Skipped.Reason#UNREADABLE}.
 *
 * <p>Afterwards each node's cache is made to hold exactly the inventory's fingerprints, except
 * for "racy" files modified less than {@link #RACY_WINDOW_NANOS} before the scan started (an
 * edit in the same timestamp tick could keep size and mtime; they are hashed again next time).
 *
 * <p>Per-entry failures never abort the run; only a node whose root cannot be listed, or whose
 * ignore file is malformed, fails it with an {@link IOException} that says what to fix.
 */
public final class Inventory {
    /** The per-node state folder at each node root, never part of an inventory. */
    public static final String STATE_DIR = ".ciphersync";
    /** Files modified this close to the scan start are not cached (timestamp granularity). */
    public static final long RACY_WINDOW_NANOS = 3_000_000_000L;

    /**
     * How a run works.
     *
     * @param chunker chunking parameters of the fingerprints
     * @param threads hashing threads (the machine's cores by default)
     */
    public record Options(ChunkerParams chunker, int threads) {
        public Options {
            Objects.requireNonNull(chunker, "chunker == null");
            if (threads < 1) {
                throw new IllegalArgumentException("threads " + threads + " < 1");
            }
        }

        public static Options defaults() {
            return new Options(ChunkerParams.SYNC, Runtime.getRuntime().availableProcessors());
        }
    }

    private final Options options;

    public Inventory(Options options) {
        this.options = Objects.requireNonNull(options, "options == null");
    }

    /** Scans with {@link Options#defaults()}. */
    public static InventoryResult scan(List<DataSource> sources, SyncSettings settings, InventoryCache cache,
                                       InventoryListener listener) throws IOException {
        return new Inventory(Options.defaults()).run(sources, settings, cache, listener);
    }

    /**
     * Scans {@code sources} and returns their inventories in the same order.
     *
     * @throws IOException when a node's root cannot be listed or its ignore file is malformed
     */
    public InventoryResult run(List<DataSource> sources, SyncSettings settings, InventoryCache cache,
                               InventoryListener listener) throws IOException {
        Objects.requireNonNull(sources, "sources == null");
        Objects.requireNonNull(settings, "settings == null");
        Objects.requireNonNull(cache, "cache == null");
        Objects.requireNonNull(listener, "listener == null");
        long start = System.nanoTime();
        long wallStart = System.currentTimeMillis() * 1_000_000L;
        boolean allSensitive = sources.stream().allMatch(s -> s.tree().caseSensitive());
        boolean caseSensitive = settings.effectiveCaseSensitive(allSensitive);

        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), daemonThreads());
        try {
            // Phase 1: walk every source and attach cached fingerprints.
            List<Future<Node>> walks = new ArrayList<>();
            for (DataSource s : sources) {
                walks.add(pool.submit(() -> walk(s, settings, caseSensitive, cache, listener)));
            }
            List<Node> nodes = new ArrayList<>();
            for (Future<Node> f : walks) {
                nodes.add(await(f));
            }

            // Phase 2: choose and hash.
            List<HashTask> tasks = chooseWork(nodes, settings, caseSensitive);
            tasks.sort(Comparator.comparingLong((HashTask t) -> t.node.entries[t.index].size()).reversed());
            long bytes = 0;
            for (HashTask t : tasks) {
                bytes += t.node.entries[t.index].size();
            }
            listener.hashingStarted(tasks.size(), bytes);
            AtomicInteger next = new AtomicInteger();
            AtomicLong hashedFiles = new AtomicLong();
            AtomicLong hashedBytes = new AtomicLong();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < Math.min(options.threads(), Math.max(1, tasks.size())); w++) {
                workers.add(pool.submit(() -> {
                    Fingerprinter fp = new Fingerprinter(options.chunker());
                    for (int i = next.getAndIncrement(); i < tasks.size(); i = next.getAndIncrement()) {
                        long before = fp.bytesRead();
                        if (hash(tasks.get(i), fp, listener)) {
                            hashedFiles.incrementAndGet();
                        }
                        hashedBytes.addAndGet(fp.bytesRead() - before);
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                await(f);
            }

            // Assemble, save caches.
            List<NodeInventory> result = new ArrayList<>();
            List<Future<?>> saves = new ArrayList<>();
            long files = 0, dirs = 0, total = 0, skipped = 0, hits = 0;
            for (Node n : nodes) {
                List<InventoryEntry> entries = new ArrayList<>(n.entries.length);
                for (InventoryEntry e : n.entries) {
                    if (e != null) {
                        entries.add(e);
                        if (e.isFile()) {
                            files++;
                            total += e.size();
                        } else if (e.isDirectory()) {
                            dirs++;
                        }
                    }
                }
                entries.sort(Comparator.comparing(InventoryEntry::path));
                n.skipped.sort(Comparator.comparing(Skipped::path));
                skipped += n.skipped.size();
                hits += n.cacheHits;
                result.add(new NodeInventory(n.source.id(), n.source.tree().caseSensitive(), entries, n.skipped));
                List<InventoryEntry> cacheable = entries.stream()
                        .filter(e -> e.fingerprint() != null && e.mtimeNanos() < wallStart - RACY_WINDOW_NANOS)
                        .toList();
                saves.add(pool.submit(() -> cache.save(n.cacheRoot, options.chunker(), cacheable)));
            }
            for (Future<?> f : saves) {
                await(f);
            }
            InventoryStats stats = new InventoryStats(files, dirs, total, hashedFiles.get(), hashedBytes.get(), hits,
                    skipped, System.nanoTime() - start);
            return new InventoryResult(result, stats);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- phase 1

    /** One source's scan state; entries may be nulled (removed) by phase 2. */
    private static final class Node {
        final DataSource source;
        final String cacheRoot;
        InventoryEntry[] entries;
        final List<Skipped> skipped = new ArrayList<>();
        int cacheHits;

        Node(DataSource source) {
            this.source = source;
            this.cacheRoot = source.only().isRoot() ? source.tree().describe()
                    : source.tree().describe() + "\u0000file:" + source.only().value();
        }

        synchronized void skip(Skipped s, InventoryListener l) {
            skipped.add(s);
            l.skipped(source.id(), s);
        }
    }

    private record PendingDir(RelPath path, int entryIndex) {
    }

    private Node walk(DataSource source, SyncSettings settings, boolean caseSensitive, InventoryCache cache,
                      InventoryListener listener) throws IOException {
        Node node = new Node(source);
        FileTree tree = source.tree();
        List<InventoryEntry> out = new ArrayList<>();
        if (!source.only().isRoot()) {
            walkSingleFile(node, out, listener);
        } else {
            PathFilter filter = PathFilter.of(settings, ignoreFileLines(source, settings), caseSensitive);
            walkDirectory(node, filter, caseSensitive, out, listener);
            if (filter.hasIncludes()) {
                out = pruneDirectories(out, filter);
            }
        }
        node.entries = out.toArray(new InventoryEntry[0]);
        // Attach cached fingerprints.
        Map<RelPath, InventoryCache.Cached> cached = cache.load(node.cacheRoot, options.chunker());
        if (!cached.isEmpty()) {
            for (int i = 0; i < node.entries.length; i++) {
                InventoryEntry e = node.entries[i];
                if (e.isFile()) {
                    InventoryCache.Cached c = cached.get(e.path());
                    if (c != null && c.validFor(e)) {
                        node.entries[i] = e.withFingerprint(c.fingerprint());
                        node.cacheHits++;
                    }
                }
            }
        }
        return node;
    }

    private void walkSingleFile(Node node, List<InventoryEntry> out, InventoryListener listener) throws IOException {
        RelPath only = node.source.only();
        Optional<FileAttrs> a = node.source.tree().stat(only);
        if (a.isEmpty()) {
            throw new NoSuchFileException(node.source.tree().describe() + "/" + only
                    + " (data source " + node.source.id() + " names a file that does not exist)");
        }
        switch (a.get().type()) {
            case FILE -> out.add(entry(only, a.get()));
            case SYMLINK -> node.skip(new Skipped(only.value(), Skipped.Reason.SYMLINK, "symbolic links are not followed"), listener);
            case OTHER -> node.skip(new Skipped(only.value(), Skipped.Reason.SPECIAL_FILE, "not a regular file"), listener);
            case DIRECTORY -> throw new IOException("data source " + node.source.id() + " names a single file, but "
                    + only + " is a directory; add the directory as a folder source instead");
        }
        listener.entriesFound(node.source.id(), out.size());
    }

    private void walkDirectory(Node node, PathFilter filter, boolean caseSensitive, List<InventoryEntry> out,
                               InventoryListener listener) throws IOException {
        FileTree tree = node.source.tree();
        String id = node.source.id();
        Deque<PendingDir> stack = new ArrayDeque<>();
        stack.push(new PendingDir(RelPath.ROOT, -1));
        while (!stack.isEmpty()) {
            PendingDir dir = stack.pop();
            List<DirEntry> children;
            try {
                children = new ArrayList<>(tree.list(dir.path()));
            } catch (IOException e) {
                if (dir.path().isRoot()) {
                    throw new IOException("cannot list the root of data source " + id + " (" + tree.describe()
                            + "): " + describe(e) + "; check that the folder exists and is readable", e);
                }
                if (dir.entryIndex() >= 0) {
                    out.set(dir.entryIndex(), null);
                }
                node.skip(new Skipped(dir.path().value(), Skipped.Reason.UNREADABLE, describe(e)), listener);
                continue;
            }
            children.sort(Comparator.comparing(DirEntry::name));
            Map<String, String> seenKeys = caseSensitive ? null : new HashMap<>();
            for (DirEntry child : children) {
                String name = child.name();
                FileAttrs a = child.attrs();
                boolean isDir = a.isDirectory();
                if (dir.path().isRoot() && isStateDir(name, tree.caseSensitive())) {
                    continue;
                }
                String rawPath = dir.path().isRoot() ? name : dir.path().value() + "/" + name;
                String nameProblem = name.indexOf('\uFFFD') >= 0
                        ? "name is not valid text in the system's file name encoding (UTF-8 expected)"
                        : RelPath.problem(name);
                if (nameProblem != null || name.contains("/")) {
                    if (!filter.excludes(name, null, isDir)) {
                        node.skip(new Skipped(rawPath, Skipped.Reason.INVALID_NAME,
                                nameProblem != null ? nameProblem : "separator in name"), listener);
                    }
                    continue;
                }
                if (rawPath.length() > RelPath.MAX_LENGTH) {
                    if (!filter.excludes(name, null, isDir)) {
                        node.skip(new Skipped(rawPath, Skipped.Reason.PATH_TOO_LONG,
                                "path longer than " + RelPath.MAX_LENGTH + " characters"), listener);
                    }
                    continue;
                }
                RelPath path = dir.path().resolve(name);
                if (filter.excludes(name, path, isDir)) {
                    continue;
                }
                if (seenKeys != null) {
                    String key = Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
                    String first = seenKeys.putIfAbsent(key, name);
                    if (first != null) {
                        node.skip(new Skipped(rawPath, Skipped.Reason.NAME_COLLISION,
                                "same name as '" + first + "' when case and Unicode normalization are ignored"), listener);
                        continue;
                    }
                }
                switch (a.type()) {
                    case SYMLINK -> node.skip(new Skipped(rawPath, Skipped.Reason.SYMLINK,
                            "symbolic links are not followed"), listener);
                    case OTHER -> node.skip(new Skipped(rawPath, Skipped.Reason.SPECIAL_FILE,
                            "device, FIFO or socket"), listener);
                    case DIRECTORY -> {
                        int index = -1;
                        if (filter.reports(EntryType.DIRECTORY)) {
                            index = out.size();
                            out.add(entry(path, a));
                        }
                        stack.push(new PendingDir(path, index));
                    }
                    case FILE -> {
                        if (filter.reports(EntryType.FILE) && filter.includesFile(path)) {
                            out.add(entry(path, a));
                        }
                    }
                }
            }
            listener.entriesFound(id, out.size());
        }
        out.removeIf(Objects::isNull);
    }

    private static boolean isStateDir(String name, boolean caseSensitive) {
        return caseSensitive ? name.equals(STATE_DIR) : name.equalsIgnoreCase(STATE_DIR);
    }

    /** With include globs: keep directories that match one or hold an included file. */
    private static List<InventoryEntry> pruneDirectories(List<InventoryEntry> entries, PathFilter filter) {
        Set<RelPath> needed = new HashSet<>();
        for (InventoryEntry e : entries) {
            if (!e.isDirectory() || filter.includesDirectory(e.path())) {
                for (RelPath p = e.path().parent(); p != null && !p.isRoot() && needed.add(p); p = p.parent()) {
                    // mark ancestors
                }
            }
        }
        List<InventoryEntry> out = new ArrayList<>(entries.size());
        for (InventoryEntry e : entries) {
            if (!e.isDirectory() || needed.contains(e.path()) || filter.includesDirectory(e.path())) {
                out.add(e);
            }
        }
        return out;
    }

    private static InventoryEntry entry(RelPath path, FileAttrs a) {
        return new InventoryEntry(path, a.type(), a.isFile() ? a.size() : 0, a.mtimeNanos(), a.posixMode(), a.fileKey(), null);
    }

    private static List<String> ignoreFileLines(DataSource source, SyncSettings settings) throws IOException {
        String name = settings.ignoreFileName();
        if (name == null || name.isEmpty()) {
            return List.of();
        }
        RelPath p = RelPath.of(name);
        FileTree tree = source.tree();
        Optional<FileAttrs> a = tree.stat(p);
        if (a.isEmpty() || !a.get().isFile()) {
            return List.of();
        }
        if (a.get().size() > PathFilter.MAX_IGNORE_FILE_BYTES) {
            throw new IOException("ignore file " + tree.describe() + "/" + name + " is " + a.get().size()
                    + " bytes, more than the limit of " + PathFilter.MAX_IGNORE_FILE_BYTES + "; shorten it");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (SeekableByteChannel ch = tree.openRead(p)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) >= 0) {
                bytes.write(buf.array(), 0, buf.position());
                buf.clear();
                if (bytes.size() > PathFilter.MAX_IGNORE_FILE_BYTES) {
                    throw new IOException("ignore file " + tree.describe() + "/" + name + " grew past "
                            + PathFilter.MAX_IGNORE_FILE_BYTES + " bytes while being read");
                }
            }
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    // ---------------------------------------------------------------- phase 2

    private record HashTask(Node node, int index) {
    }

    private static List<HashTask> chooseWork(List<Node> nodes, SyncSettings settings, boolean caseSensitive) {
        List<HashTask> tasks = new ArrayList<>();
        if (settings.analysis() == SyncSettings.AnalysisMode.CHECKSUM) {
            for (Node n : nodes) {
                for (int i = 0; i < n.entries.length; i++) {
                    InventoryEntry e = n.entries[i];
                    if (e.isFile() && e.fingerprint() == null) {
                        tasks.add(new HashTask(n, i));
                    }
                }
            }
            return tasks;
        }
        // SMART: group files by match key across nodes.
        Map<String, List<HashTask>> groups = new HashMap<>();
        for (Node n : nodes) {
            for (int i = 0; i < n.entries.length; i++) {
                InventoryEntry e = n.entries[i];
                if (e.isFile()) {
                    groups.computeIfAbsent(settings.matchKey(e.path(), caseSensitive), k -> new ArrayList<>(2))
                            .add(new HashTask(n, i));
                }
            }
        }
        for (List<HashTask> g : groups.values()) {
            if (!onSeveralNodes(g)) {
                continue;
            }
            InventoryEntry first = g.get(0).node.entries[g.get(0).index];
            boolean differ = false;
            for (HashTask t : g) {
                InventoryEntry e = t.node.entries[t.index];
                if (e.size() != first.size() || e.mtimeNanos() != first.mtimeNanos()) {
                    differ = true;
                    break;
                }
            }
            if (differ) {
                for (HashTask t : g) {
                    if (t.node.entries[t.index].fingerprint() == null) {
                        tasks.add(t);
                    }
                }
            }
        }
        return tasks;
    }

    private static boolean onSeveralNodes(List<HashTask> group) {
        for (int i = 1; i < group.size(); i++) {
            if (group.get(i).node != group.get(0).node) {
                return true;
            }
        }
        return false;
    }

    /** Fingerprints one file; false when it was skipped instead. */
    private static boolean hash(HashTask task, Fingerprinter fp, InventoryListener listener) {
        Node node = task.node;
        FileTree tree = node.source.tree();
        InventoryEntry e = node.entries[task.index];
        RelPath path = e.path();
        for (int attempt = 0; attempt < 2; attempt++) {
            Fingerprint f;
            try (SeekableByteChannel ch = tree.openRead(path)) {
                f = fp.fingerprint(ch);
            } catch (NoSuchFileException gone) {
                remove(task, new Skipped(path.value(), Skipped.Reason.CHANGED_DURING_SCAN, "deleted during the scan"), listener);
                return false;
            } catch (IOException ex) {
                remove(task, new Skipped(path.value(), Skipped.Reason.UNREADABLE, describe(ex)), listener);
                return false;
            }
            Optional<FileAttrs> after;
            try {
                after = tree.stat(path);
            } catch (IOException ex) {
                remove(task, new Skipped(path.value(), Skipped.Reason.UNREADABLE, describe(ex)), listener);
                return false;
            }
            if (after.isEmpty() || !after.get().isFile()) {
                remove(task, new Skipped(path.value(), Skipped.Reason.CHANGED_DURING_SCAN, "removed or replaced during the scan"), listener);
                return false;
            }
            FileAttrs a = after.get();
            if (a.size() == e.size() && a.mtimeNanos() == e.mtimeNanos() && f.size() == e.size()
                    && a.fileKey() == e.fileKey()) {
                node.entries[task.index] = e.withFingerprint(f);
                listener.fileHashed(node.source.id(), path, f.size());
                return true;
            }
            e = new InventoryEntry(path, EntryType.FILE, a.size(), a.mtimeNanos(), a.posixMode(), a.fileKey(), null);
            node.entries[task.index] = e;
        }
        remove(task, new Skipped(path.value(), Skipped.Reason.CHANGED_DURING_SCAN,
                "the file kept changing while it was read; it is left out of this run"), listener);
        return false;
    }

    private static void remove(HashTask task, Skipped s, InventoryListener listener) {
        task.node.entries[task.index] = null;
        task.node.skip(s, listener);
    }

    // ---------------------------------------------------------------- helpers

    private static String describe(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return m == null ? kind : kind + ": " + m;
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("inventory interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "inventory-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

}
