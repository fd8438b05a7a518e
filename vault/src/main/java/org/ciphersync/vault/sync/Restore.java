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
import java.util.SortedMap;
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
 * created first; each file is written to a temporary name, verified against its content hash, given
 * its mtime and mode, and renamed; existing files in the target are not overwritten. Last, deepest
 * first, every folder gets its mode and mtime, so writing what it holds does not change them.
 */
public final class Restore {
    /** Parallel writers (as in down-sync). */
    private static final int THREADS = 16;

    private Restore() {
    }

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
        VaultView view = VaultView.load(repo, ns);
        long time = resolveTime(view, at);
        SortedMap<VaultPath, Resolution> merged = view.merged(time);
        if (time == Long.MAX_VALUE) {
            // "latest": report the newest point in time actually restored
            time = view.history().stream().mapToLong(e -> e.commit().time()).max().orElse(0);
        }
        List<String> restored = java.util.Collections.synchronizedList(new ArrayList<>());
        List<ItemFailure> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        // Files are written by several threads, as in down-sync: creating and forcing many small
        // files is the bottleneck of a restore, and the file system groups concurrent forces.
        // Threads take batches of one folder each, dealt across folders (FolderBatches).
        List<BlobCodec> codecs = java.util.Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<BlobCodec> codec = ThreadLocal.withInitial(() -> {
            BlobCodec c = repo.codec(ns);
            codecs.add(c);
            return c;
        });
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "vault-restore");
            t.setDaemon(true);
            return t;
        });
        repo.preferWholePacks(2 * THREADS);
        java.util.Set<Path> readyDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<FileVersion> folders = new ArrayList<>();
        try {
            for (Map.Entry<VaultPath, Resolution> e : merged.entrySet()) { // by path: parents first
                FileVersion v = e.getValue().winner();
                if (v.isFolder() && select.test(e.getKey())) {
                    Path out = target.resolve(v.path().home() ? "home" : "root").resolve(v.path().rel().value());
                    try {
                        SafePaths.checkNoLinkBetween(target, out);
                        Files.createDirectories(out);
                        SafePaths.checkNoLinkBetween(target, out);
                        if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                            throw new IOException(out + " already exists in the target and is not a folder");
                        }
                        readyDirs.add(out);
                        folders.add(v);
                        restored.add(v.path().toString());
                    } catch (IOException ex) {
                        failures.add(new ItemFailure(v.path().toString(), ex.getMessage()));
                    }
                }
            }
            List<FileVersion> files = new ArrayList<>();
            for (Map.Entry<VaultPath, Resolution> e : merged.entrySet()) {
                FileVersion v = e.getValue().winner();
                if (!v.isDeleted() && !v.isFolder() && select.test(e.getKey())) {
                    files.add(v);
                }
            }
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (List<FileVersion> batch : FolderBatches.of(files, v -> v.path().parent(), FolderBatches.SIZE)) {
                futures.add(pool.submit(() -> {
                    for (FileVersion v : batch) {
                        Path out = target.resolve(v.path().home() ? "home" : "root").resolve(v.path().rel().value());
                        try {
                            Path parent = out.getParent();
                            if (!readyDirs.contains(parent)) {
                                // once per folder: no link on the way, then create it
                                SafePaths.checkNoLinkBetween(target, out);
                                Files.createDirectories(parent);
                                SafePaths.checkNoLinkBetween(target, out);
                                readyDirs.add(parent);
                            }
                            write(view, v, out, codec.get());
                            restored.add(v.path().toString());
                        } catch (IOException | VaultException ex) {
                            if (ex instanceof VaultException ve && ve.kind() != VaultException.Kind.INTEGRITY) {
                                throw ve;
                            }
                            failures.add(new ItemFailure(v.path().toString(), ex.getMessage(), ex instanceof VaultException));
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException ex) {
                    if (ex.getCause() instanceof VaultException ve) {
                        throw ve;
                    }
                    if (ex.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(ex.getCause());
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("restore interrupted");
                }
            }
        } finally {
            pool.shutdownNow();
            repo.preferWholePacks(0);
            codecs.forEach(BlobCodec::close);
        }
        for (int i = folders.size() - 1; i >= 0; i--) { // deepest first: children are done before their folder
            FileVersion v = folders.get(i);
            Path out = target.resolve(v.path().home() ? "home" : "root").resolve(v.path().rel().value());
            try {
                SafePaths.checkNoLinkBetween(target, out);
                PosixModes.applyFolder(out, v.mode(), v.mtimeNanos());
            } catch (IOException ex) {
                failures.add(new ItemFailure(v.path().toString(), "cannot set the folder's times and permissions: " + ex.getMessage()));
            }
        }
        restored.sort(null);
        return new Result(time, at, restored, failures);
    }

    static void write(VaultView view, FileVersion v, Path out, BlobCodec codec) throws IOException {
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(out + " already exists in the target; choose an empty target folder");
        }
        Path tmp = out.resolveSibling("." + out.getFileName() + ".cs-tmp-" + Long.toHexString(System.nanoTime()));
        try {
            if (v.kind() == EntryKind.SYMLINK) {
                Files.createSymbolicLink(tmp, Path.of(v.linkTarget()));
            } else {
                ContentWriter.write(view, v, tmp, codec, "it was not restored");
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
