package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.chain.Resolution;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.format.ComputerRecord;
import org.ciphersync.vault.prune.Prune;
import org.ciphersync.vault.repo.Head;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.repo.VaultView;
import org.ciphersync.vault.state.LocalState;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;

/**
 * Preview and down-sync (V5, V8): computes the plan with {@link DownPlanner} and, unless it is a
 * dry run, performs it. Every file is written to a temporary name in its folder, verified against
 * its content hash, and renamed; the replaced or deleted file moves to the versions area first.
 * One item's failure does not stop the others. The local state is saved at the end.
 */
public final class DownSync {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DIR_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS").withZone(ZoneOffset.UTC);

    /** Threads that write files during a down-sync. */
    private static final int APPLY_THREADS = 16;

    private DownSync() {
    }

    /** Options of a down-sync. */
    public record Options(String namespace, List<String> only, boolean dryRun, boolean allowMassDelete, boolean allowOtherUser) {
        public Options {
            only = only == null ? List.of() : List.copyOf(only);
        }

        public static Options of(String ns) {
            return new Options(ns, List.of(), false, false, false);
        }
    }

    /** The plan and, for a real run, what was done. */
    public record Result(List<Action> plan, int applied, List<ItemFailure> failures, String versionsDir) {
    }

    /** The preview: exactly the actions a down-sync with the same options would perform. */
    public static List<Action> preview(Repository repo, LocalComputer computer, Options o) {
        return run(repo, computer, new Options(o.namespace(), o.only(), true, o.allowMassDelete(), o.allowOtherUser()),
                Progress.NONE).plan();
    }

    /** A file action and what was on disk at its path when the plan was made (null: nothing). */
    private record Work(Action action, LocalFile disk) {
    }

    @SuppressWarnings("try") // the local lock is held for the whole block
    public static Result run(Repository repo, LocalComputer computer, Options o, Progress progress) {
        String vaultId = repo.vaultId();
        String ns = o.namespace();
        try (LocalLock lock = LocalLock.acquire(computer.dirs().vaultDataDir(vaultId))) {
            VaultView view = VaultView.load(repo, ns);
            SortedMap<VaultPath, Resolution> merged = view.mergedNow();
            LocalState state = LocalState.load(computer.dirs(), vaultId, ns, p -> {
                Resolution r = merged.get(p);
                return r == null ? null : r.winner();
            });
            Map<ComputerId, Head> heads = Repository.checkRollback(view.logs(), state.heads());
            Path home = computer.home();
            Predicate<VaultPath> only = Selection.of(o.only(), home, Path.of("").toAbsolutePath());
            Fingerprinter fp = new Fingerprinter(repo.config().chunker());
            Map<VaultPath, LocalFile> probes = new HashMap<>();
            Function<VaultPath, LocalFile> disk = p -> probes.computeIfAbsent(p, k -> probe(k.toLocal(home), fp));
            List<Action> plan = DownPlanner.plan(merged, state.synced(), disk, p -> list(p.toLocal(home)), only);

            checkUser(view, plan, computer, o.allowOtherUser() || computer.config().allowOtherUser());
            checkMassDelete(plan, state, computer, o.allowMassDelete());
            if (o.dryRun()) {
                return new Result(plan, 0, List.of(), null);
            }
            Prune.acknowledge(repo, computer.config().computer(), computer.clock().millis());
            Map<ComputerId, String> names = new HashMap<>();
            for (ComputerRecord r : repo.computers()) {
                names.put(r.id(), r.name());
            }
            long now = computer.clock().millis();
            Path versions = computer.dirs().versionsDir(vaultId).resolve(DIR_STAMP.format(Instant.ofEpochMilli(now)));
            Applier applier = new Applier(view, home, versions, names);
            List<ItemFailure> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicInteger applied = new java.util.concurrent.atomic.AtomicInteger();
            List<BlobCodec> codecs = java.util.Collections.synchronizedList(new ArrayList<>());
            ThreadLocal<BlobCodec> codec = ThreadLocal.withInitial(() -> {
                BlobCodec c = repo.codec(ns);
                codecs.add(c);
                return c;
            });
            FolderPass folders = FolderPass.of(plan, merged, disk, home);
            FolderPass.Outcome outcome = new FolderPass.Outcome() {
                @Override
                public void done(Action a, SyncedVersion s) {
                    synchronized (state) {
                        state.synced().put(a.path(), s);
                    }
                    progress.applied(applied.incrementAndGet(), plan.size());
                }

                @Override
                public void failed(Action a, String message) {
                    failures.add(new ItemFailure(a.path().toString(), message));
                }
            };
            folders.create(outcome);
            List<Work> otherActions = new ArrayList<>();
            List<PackRestorer.Target> contents = new ArrayList<>();
            long[] lastSave = {System.nanoTime()};
            Runnable saveNowAndThen = () -> { // called holding the state's lock
                if (System.nanoTime() - lastSave[0] > TimeUnit.SECONDS.toNanos(10)) {
                    try {
                        state.save(computer.dirs(), vaultId, ns);
                    } catch (IOException e) {
                        throw new VaultException(VaultException.Kind.STORAGE, "local state: " + e.getMessage(), e);
                    }
                    lastSave[0] = System.nanoTime();
                }
            };
            for (Action a : plan) {
                if (FolderPass.handles(a)) {
                    continue;
                }
                if (Applier.writesContent(a)) {
                    contents.add(applier.target(a, (path, s) -> {
                        synchronized (state) {
                            state.synced().put(path, s);
                            saveNowAndThen.run();
                        }
                        progress.applied(applied.incrementAndGet(), plan.size());
                    }, failures));
                } else {
                    otherActions.add(new Work(a, disk.apply(a.path()))); // probed here: the cache is not thread-safe
                }
            }
            // Adoptions, deletions and links first, by several threads: moving many files to the
            // versions area is bound by the file system's latency.
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(APPLY_THREADS, r -> {
                Thread t = new Thread(r, "vault-apply");
                t.setDaemon(true);
                return t;
            });
            try {
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                // batches of one folder each, dealt across folders: concurrent writers rarely share a folder's lock
                for (List<Work> batch : FolderBatches.of(otherActions, w -> w.action().path().parent(), FolderBatches.SIZE)) {
                    futures.add(pool.submit(() -> {
                        for (Work w : batch) {
                            Action a = w.action();
                            try {
                                SyncedVersion s = applier.apply(a, w.disk());
                                synchronized (state) {
                                    state.synced().put(a.path(), s);
                                }
                                progress.applied(applied.incrementAndGet(), plan.size());
                            } catch (IOException | VaultException e) {
                                if (e instanceof VaultException v && v.kind() != VaultException.Kind.INTEGRITY) {
                                    throw v;
                                }
                                failures.add(new ItemFailure(a.path().toString(), e.getMessage(), e instanceof VaultException));
                            }
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof RuntimeException r) {
                            throw r;
                        }
                        throw new IllegalStateException(e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new VaultException(VaultException.Kind.REFUSED, "interrupted; run down-sync again to finish");
                    }
                }
                // Then the files' contents, pack by pack (each pack read once).
                PackRestorer.run(view, contents, codec::get);
            } finally {
                pool.shutdownNow();
                codecs.forEach(BlobCodec::close);
            }
            folders.delete(outcome);
            folders.finish(outcome);
            state.save(computer.dirs(), vaultId, ns, heads);
            return new Result(plan, applied.get(), List.copyOf(failures), applier.usedVersions ? versions.toString() : null);
        } catch (IOException e) {
            throw new VaultException(VaultException.Kind.STORAGE, "local state: " + e.getMessage(), e);
        }
    }

    private static void checkUser(VaultView view, List<Action> plan, LocalComputer computer, boolean allowed) {
        if (allowed) {
            return;
        }
        for (Action a : plan) {
            ComputerId origin = a.resolution().winner().origin();
            for (String u : view.usersOf(origin)) {
                if (!u.equals(computer.user())) {
                    throw new VaultException(VaultException.Kind.REFUSED, "down-sync refused: the vault holds data up-synced by user '"
                            + u + "' (computer " + origin.shortForm() + ") but this computer's user is '" + computer.user()
                            + "'. A vault syncs one user's data; to allow it anyway, enable the setting allow-other-user"
                            + " (\"allow-other-user\": true in " + computer.dirs().computerConfigFile()
                            + ", or 'ciphersync vault down --allow-other-user' for one run)");
                }
            }
        }
    }

    /** The guard counts files only: a folder is deleted only once empty, so its deletion loses nothing. */
    private static void checkMassDelete(List<Action> plan, LocalState state, LocalComputer computer, boolean allowed) {
        long deletes = plan.stream().filter(a -> a.kind() == Action.Kind.DELETE && !a.folder()).count();
        long tracked = state.synced().values().stream().filter(s -> !s.version().isDeleted() && !s.version().isFolder()).count();
        if (!allowed && deletes > computer.config().massDeleteMinFiles()
                && deletes > computer.config().massDeleteRatio() * tracked) {
            throw new VaultException(VaultException.Kind.REFUSED, "down-sync refused: it would delete " + deletes + " of the "
                    + tracked + " files this computer synchronized (mass-delete guard). Check 'ciphersync vault preview'; if this is"
                    + " intended, run 'ciphersync vault down --allow-mass-delete'. Deleted files would go to the versions area.");
        }
    }

    /** What is on disk at {@code local}, with a lazily computed content hash. */
    static LocalFile probe(Path local, Fingerprinter fp) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(local, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
        long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        if (a.isSymbolicLink()) {
            String target;
            try {
                target = Files.readSymbolicLink(local).toString();
            } catch (IOException e) {
                target = "";
            }
            return new LocalFile(EntryKind.SYMLINK, 0, mtime, () -> new byte[0], target);
        }
        if (a.isDirectory()) {
            return LocalFile.folder(mtime, PosixModes.of(local));
        }
        byte[][] memo = new byte[1][];
        return new LocalFile(EntryKind.FILE, a.size(), mtime, () -> {
            if (memo[0] == null) {
                try (FileChannel ch = FileChannel.open(local, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                    memo[0] = fp.fingerprint(ch).fileHash();
                } catch (IOException e) {
                    memo[0] = new byte[0];
                }
            }
            return memo[0];
        }, "");
    }

    /** The names in the folder {@code dir}, or null when it cannot be listed. */
    static List<String> list(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    /** Performs the actions on files and links (and records folder ADOPTs and conflicts); folders are {@link FolderPass}'s. */
    private static final class Applier {
        final VaultView view;
        final Path home;
        final Path versions;
        final Map<ComputerId, String> names;
        volatile boolean usedVersions;

        Applier(VaultView view, Path home, Path versions, Map<ComputerId, String> names) {
            this.view = view;
            this.home = home;
            this.versions = versions;
            this.names = names;
        }

        SyncedVersion apply(Action a, LocalFile d) throws IOException {
            FileVersion m = a.resolution().winner();
            Path target = a.path().toLocal(home);
            switch (a.kind()) {
                case ADOPT -> {
                    if (m.isFolder() && (d == null || !d.hasContentOf(m))) {
                        return new SyncedVersion(m, -1, -1); // local times kept: published by the next up-sync
                    }
                    return d == null ? new SyncedVersion(m, 0, 0) : new SyncedVersion(m, d.size(), d.mtimeNanos());
                }
                case RESTORE -> {
                    return write(m, target, false);
                }
                case OVERWRITE -> {
                    return write(m, target, true);
                }
                case DELETE -> {
                    keepOldVersion(a.path(), target);
                    return new SyncedVersion(m, 0, 0);
                }
                case CONFLICT -> {
                    if (!m.isDeleted() && !m.isFolder()) {
                        Path beside = target.resolveSibling(conflictName(target.getFileName().toString(), m));
                        write(m, beside, false);
                    }
                    // Record the vault's version as seen; the local file counts as changed since, so the
                    // next up-sync publishes it as a version that dominates this one.
                    return new SyncedVersion(m, -1, -1);
                }
                default -> throw new IllegalStateException(a.kind() + " " + a.path() + " is done by the folder pass");
            }
        }

        String conflictName(String name, FileVersion m) {
            String who = names.getOrDefault(m.origin(), m.origin().shortForm()).replaceAll("[/\\\\\\p{Cntrl}]", "_");
            String stamp = STAMP.format(Instant.ofEpochMilli(m.originTime()));
            int dot = name.lastIndexOf('.');
            String base = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot) : "";
            return base + " (conflict from " + who + " " + stamp + ")" + ext;
        }

        void keepOldVersion(VaultPath p, Path target) throws IOException {
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            SafePaths.checkNoLinkBetween(p.home() ? home : Path.of("/"), target);
            Path dest = versions.resolve(p.home() ? "home" : "root").resolve(p.rel().value());
            Files.createDirectories(dest.getParent());
            Files.move(target, dest, StandardCopyOption.REPLACE_EXISTING);
            usedVersions = true;
        }

        /** Whether {@code a} writes file content, which {@link PackRestorer} does for all such actions at once. */
        static boolean writesContent(Action a) {
            FileVersion m = a.resolution().winner();
            return switch (a.kind()) {
                case RESTORE, OVERWRITE, CONFLICT -> !m.isDeleted() && !m.isFolder() && m.kind() == EntryKind.FILE;
                default -> false;
            };
        }

        /** The content-writing action {@code a} as a restorer target that reports to {@code done} or {@code failures}. */
        PackRestorer.Target target(Action a, java.util.function.BiConsumer<VaultPath, SyncedVersion> done, List<ItemFailure> failures) {
            FileVersion m = a.resolution().winner();
            Path local = a.path().toLocal(home);
            boolean conflict = a.kind() == Action.Kind.CONFLICT;
            Path target = conflict ? local.resolveSibling(conflictName(local.getFileName().toString(), m)) : local;
            boolean replacing = a.kind() == Action.Kind.OVERWRITE;
            return new PackRestorer.Target() {
                @Override
                public FileVersion version() {
                    return m;
                }

                @Override
                public Path prepare() throws IOException {
                    return prepareTmp(m, target);
                }

                @Override
                public void complete(Path tmp) throws IOException {
                    SyncedVersion s = place(m, tmp, target, replacing);
                    // for a conflict, record the vault's version as seen (see apply)
                    done.accept(a.path(), conflict ? new SyncedVersion(m, -1, -1) : s);
                }

                @Override
                public void failed(Exception e) {
                    failures.add(new ItemFailure(a.path().toString(), e.getMessage(), e instanceof VaultException));
                }
            };
        }

        /**
         * Checks the way to {@code target}, creates its folder and returns its temporary name, free.
         * One fixed temporary name per target: operations of this computer are serialized by the
         * local lock and a run writes a target once, so a leftover of a killed run is replaced.
         */
        Path prepareTmp(FileVersion m, Path target) throws IOException {
            Path dir = target.getParent();
            SafePaths.checkNoLinkBetween(m.path().home() ? home : Path.of("/"), target);
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + target.getFileName() + ".cs-tmp");
            Files.deleteIfExists(tmp);
            return tmp;
        }

        /** Puts the verified temporary file in place (the replaced file moves to the versions area first). */
        SyncedVersion place(FileVersion m, Path tmp, Path target, boolean replacing) throws IOException {
            try {
                if (replacing) {
                    keepOldVersion(m.path(), target);
                } else if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && m.kind() == EntryKind.FILE) {
                    // something appeared since the plan: never replace what we did not plan to
                    throw new IOException("a file appeared at " + target + " since the preview; nothing was changed there");
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new SyncedVersion(m, a.isSymbolicLink() ? 0 : a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        }

        /**
         * Writes {@code m} to a temporary name beside {@code target}, then renames. Only links come
         * here: file contents are written by {@link PackRestorer} (see {@link #writesContent}).
         */
        SyncedVersion write(FileVersion m, Path target, boolean replacing) throws IOException {
            if (m.kind() != EntryKind.SYMLINK) {
                throw new IllegalStateException(m.path() + ": file contents are written by the pack restorer");
            }
            Path tmp = prepareTmp(m, target);
            try {
                Files.createSymbolicLink(tmp, Path.of(m.linkTarget()));
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            return place(m, tmp, target, replacing);
        }
    }
}
