package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.Resolution;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.repo.LogEntry;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.repo.VaultView;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;

/**
 * {@code vault restore --at TIME|ID PATH… --target DIR} (V9): writes the merged state of the vault
 * as it was at a point in time into a target folder, never touching the originals. Home-relative
 * paths land in {@code DIR/home/…}, absolute ones in {@code DIR/root/…}. Folders (empty ones too) are
 * created first; files are written pack by pack by {@link PackRestorer}, each to a temporary name,
 * verified against its content hash, given its mtime and mode, and renamed; existing files in the
 * target are not overwritten. Last, deepest
 * first, every folder gets its mode and mtime, so writing what it holds does not change them.
 */
public final class Restore {
    private Restore() {
    }

    /**
     * Files are handed to the pack restorer in batches of this many, in path order: what it holds
     * per file (its job, pieces and checksums) then exists for one batch at a time, not for a
     * million files at once (1.9 GiB peak for a million-file restore). Packs are filled in path
     * order, and a batch reads only the range of a pack it needs, so batches rarely read a byte twice.
     */
    static final int BATCH = 32_768;

    /** What was restored. */
    public record Result(long time, String at, List<String> restored, List<ItemFailure> failures) {
    }

    /**
     * The time a {@code --at} value means: {@code latest} (or {@code now}), a commit id
     * ({@code abcd1234.7}) or an ISO-8601 instant or date.
     */
    public static long resolveTime(VaultView view, String at) {
        if (at.equalsIgnoreCase("latest") || at.equalsIgnoreCase("now")) {
            return Long.MAX_VALUE;
        }
        LogEntry e = view.find(at);
        if (e != null) {
            return e.commit().time();
        }
        try {
            return Instant.parse(at).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try a date-time without zone, then a date
        }
        try {
            return java.time.LocalDateTime.parse(at).atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try a date
        }
        try {
            return java.time.LocalDate.parse(at).plusDays(1).atStartOfDay(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli() - 1;
        } catch (DateTimeParseException ex) {
            throw new VaultException(VaultException.Kind.USAGE, "--at " + at + " is neither a commit id (see 'ciphersync vault log')"
                    + " nor a time like 2026-11-21T10:15:00 or 2026-11-21, nor 'latest'");
        }
    }

    public static Result run(Repository repo, String ns, String at, Predicate<VaultPath> select, Path target) throws IOException {
        return run(repo, ns, at, select, target, BATCH);
    }

    /** As {@link #run(Repository, String, String, Predicate, Path)} with {@code batch} files per pack-restorer run. */
    static Result run(Repository repo, String ns, String at, Predicate<VaultPath> select, Path target, int batch) throws IOException {
        VaultView view = VaultView.load(repo, ns);
        long time = resolveTime(view, at);
        SortedMap<VaultPath, Resolution> merged = view.merged(time);
        if (time == Long.MAX_VALUE) {
            // "latest": report the newest point in time actually restored
            time = view.history().stream().mapToLong(e -> e.commit().time()).max().orElse(0);
        }
        // Paths, not strings: a million-file restore held a million strings for the summary.
        List<VaultPath> restored = java.util.Collections.synchronizedList(new ArrayList<>());
        List<ItemFailure> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<BlobCodec> codecs = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.function.Supplier<BlobCodec> codec = () -> {
            BlobCodec c = repo.codec(ns);
            codecs.add(c);
            return c;
        };
        java.util.Set<Path> readyDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<FileVersion> folders = new ArrayList<>();
        try (Durability.Writeback writeback = new Durability.Writeback(target)) {
            List<PackRestorer.Target> files = new ArrayList<>();
            // By path, parents first, each entry removed as it is taken: a path's version stays only
            // while its batch needs it.
            NavigableMap<VaultPath, Resolution> pending = merged instanceof NavigableMap<VaultPath, Resolution> n ? n : new TreeMap<>(merged);
            merged = null;
            HeapWatch heap = new HeapWatch();
            for (Map.Entry<VaultPath, Resolution> e; (e = pending.pollFirstEntry()) != null; ) {
                FileVersion v = e.getValue().winner();
                if (v.isDeleted() || !select.test(e.getKey())) {
                    continue;
                }
                Path out = placeOf(target, v.path());
                try {
                    if (v.isFolder()) {
                        readyFolder(target, out, readyDirs);
                        folders.add(v);
                        restored.add(v.path());
                    } else if (v.kind() == EntryKind.SYMLINK) {
                        readyParent(target, out, readyDirs);
                        Path tmp = tmpBeside(out);
                        try {
                            Files.createSymbolicLink(tmp, Path.of(v.linkTarget()));
                            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
                        } catch (IOException | RuntimeException ex) {
                            Files.deleteIfExists(tmp);
                            throw ex;
                        }
                        restored.add(v.path());
                    } else {
                        files.add(new FileTarget(v, target, readyDirs, restored, writeback, failures));
                        if (files.size() == batch) {
                            PackRestorer.run(view, files, codec, false);
                            files.clear();
                            heap.collectIfGrown();
                        }
                    }
                } catch (IOException ex) {
                    failures.add(new ItemFailure(v.path().toString(), ex.getMessage()));
                }
            }
            // Files are written pack by pack (each pack read once) and renamed by many threads; the
            // target's write-back starts early and it is made durable once, at the end (Durability).
            PackRestorer.run(view, files, codec, false);
            writeback.close();
            try {
                Durability.flush(target, new java.util.AbstractList<Path>() { // made only if sync(1) fails
                    @Override
                    public Path get(int i) {
                        return placeOf(target, restored.get(i));
                    }

                    @Override
                    public int size() {
                        return restored.size();
                    }
                });
            } catch (IOException ex) {
                throw new VaultException(VaultException.Kind.STORAGE, "the restored files could not be forced to disk in " + target
                        + ": " + ex.getMessage() + "; restore again into an empty folder", ex);
            }
        } finally {
            codecs.forEach(BlobCodec::close);
        }
        for (int i = folders.size() - 1; i >= 0; i--) { // deepest first: children are done before their folder
            FileVersion v = folders.get(i);
            Path out = placeOf(target, v.path());
            try {
                SafePaths.checkNoLinkBetween(target, out);
                PosixModes.applyFolder(out, v.mode(), v.mtimeNanos());
            } catch (IOException ex) {
                failures.add(new ItemFailure(v.path().toString(), "cannot set the folder's times and permissions: " + ex.getMessage()));
            }
        }
        restored.sort(null);
        return new Result(time, at, new java.util.AbstractList<String>() {
            @Override
            public String get(int i) {
                return restored.get(i).toString();
            }

            @Override
            public int size() {
                return restored.size();
            }
        }, failures);
    }

    /**
     * Creates folder {@code out}, refusing links on the way. Paths come sorted, parents first, so
     * the parent is usually one this run made ready: then one {@code mkdir} does (2,594 folders of
     * `mixed` took 0.6 s with the whole path checked for links before and after each).
     */
    private static void readyFolder(Path target, Path out, java.util.Set<Path> readyDirs) throws IOException {
        if (readyDirs.contains(out.getParent())) {
            try {
                Files.createDirectory(out);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException(out + " already exists in the target and is not a folder", e);
                }
            }
        } else {
            SafePaths.checkNoLinkBetween(target, out);
            Files.createDirectories(out);
            SafePaths.checkNoLinkBetween(target, out);
            if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(out + " already exists in the target and is not a folder");
            }
        }
        readyDirs.add(out);
    }

    /**
     * Collects the heap when it grew by {@value #GROWTH_MIB} MiB since the last look. A batch's
     * per-file state lives for seconds, so the collector promotes it to the old generation, where it
     * dies; vault commands run the serial collector, which grows the old generation rather than
     * collect it while it can grow, and a million-file restore reached 3.3 GiB of mostly dead
     * batches. A full collection between batches costs what the live set costs to mark, a fraction
     * of a second.
     */
    static final class HeapWatch {
        static final int GROWTH_MIB = 256;
        /** The old generation, whose "collection usage" is what the last full collection left. */
        private final java.lang.management.MemoryPoolMXBean old = java.lang.management.ManagementFactory.getMemoryPoolMXBeans()
                .stream().filter(p -> p.getType() == java.lang.management.MemoryType.HEAP && p.getCollectionUsage() != null
                        && (p.getName().contains("Old") || p.getName().contains("Tenured")))
                .findFirst().orElse(null);

        void collectIfGrown() {
            if (old != null && old.getUsage().getUsed() - old.getCollectionUsage().getUsed() > (long) GROWTH_MIB << 20) {
                System.gc();
            }
        }
    }

    /** Where {@code path} goes in the target: TARGET/home/… or TARGET/root/…. */
    private static Path placeOf(Path target, VaultPath path) {
        return target.resolve(path.home() ? "home" : "root").resolve(path.rel().value());
    }

    /** Creates the folder of {@code out} once, refusing links on the way. */
    private static void readyParent(Path target, Path out, java.util.Set<Path> readyDirs) throws IOException {
        Path parent = out.getParent();
        if (!readyDirs.contains(parent)) {
            SafePaths.checkNoLinkBetween(target, out);
            Files.createDirectories(parent);
            SafePaths.checkNoLinkBetween(target, out);
            readyDirs.add(parent);
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(out + " already exists in the target; choose an empty target folder");
        }
    }

    private static Path tmpBeside(Path out) {
        return out.resolveSibling("." + out.getFileName() + ".cs-tmp-" + Long.toHexString(System.nanoTime()));
    }

    /** A file of the restore: a fresh temporary name beside its place, renamed there once verified. */
    private record FileTarget(FileVersion version, Path target, java.util.Set<Path> readyDirs,
                              List<VaultPath> restored, Durability.Writeback writeback,
                              List<ItemFailure> failures) implements PackRestorer.Target {
        @Override
        public Path prepare() throws IOException {
            Path out = placeOf(target, version.path());
            readyParent(target, out, readyDirs);
            return tmpBeside(out);
        }

        @Override
        public void complete(Path tmp) throws IOException {
            Files.move(tmp, placeOf(target, version.path()), StandardCopyOption.ATOMIC_MOVE);
            writeback.written(version.size());
            restored.add(version.path());
        }

        @Override
        public void failed(Exception e) {
            failures.add(new ItemFailure(version.path().toString(), e.getMessage(), e instanceof VaultException));
        }
    }
}
