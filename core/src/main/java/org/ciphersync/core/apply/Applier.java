package org.ciphersync.core.apply;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.fs.FileAttrs;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.fs.PosixMode;
import org.ciphersync.core.inventory.Fingerprint;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.plan.ActionType;
import org.ciphersync.core.plan.Plan;
import org.ciphersync.core.plan.PlannedAction;
import org.ciphersync.core.state.EngineArea;

/**
 * Performs a consistent {@link Plan} on the nodes' {@link FileTree}s (S11). See the package
 * documentation for the phases and the guarantees. One item's failure never stops the others;
 * every action yields an {@link ItemResult}.
 */
public final class Applier {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, FileTree> trees;
    private final ApplyOptions options;
    private final ApplyListener listener;
    private final Instant now;
    private final AtomicLong itemsDone = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final Set<Failed> failedPaths = ConcurrentHashMap.newKeySet();
    private final Set<Touched> touchedDirs = ConcurrentHashMap.newKeySet();
    /** Parent directories known to exist (created or checked by this apply). */
    private final Set<Touched> knownDirs = ConcurrentHashMap.newKeySet();
    private long itemsTotal;
    private long bytesTotal;
    private ThreadLocal<Fingerprinter> fingerprinters;
    /** Temporary names: a random base per run plus a counter, so no random bytes are drawn per file. */
    private final long tempBase = RANDOM.nextLong();
    private final AtomicLong tempCounter = new AtomicLong();

    /** At most this many bytes are written before they are fsynced and renamed as a batch. */
    static final long BATCH_BYTES = 256L * 1024 * 1024;

    private record Failed(String node, RelPath path) {
    }

    /**
     * A copy after its write step: either finished ({@code result} set: skipped or failed, nothing
     * left behind) or written to {@code tmp}, with the channel still open for the fsync.
     */
    private record Staged(PlannedAction action, ItemResult result, RelPath tmp, SeekableByteChannel channel,
                          long bytes, FileAttrs attrs, String hash) {
        static Staged finished(ItemResult r) {
            return new Staged(r.action(), r, null, null, 0, null, null);
        }
    }

    private record Touched(String node, RelPath dir) {
    }

    private Applier(Map<String, FileTree> trees, ApplyOptions options, ApplyListener listener) {
        this.trees = Map.copyOf(trees);
        this.options = Objects.requireNonNull(options, "options == null");
        this.listener = Objects.requireNonNull(listener, "listener == null");
        this.now = options.clock().instant();
    }

    /**
     * Applies {@code plan}; {@code trees} maps every node id of the plan to its tree.
     *
     * @throws IllegalArgumentException when the plan is inconsistent or a node has no tree
     */
    public static ApplyReport apply(Plan plan, Map<String, FileTree> trees, ApplyOptions options,
                                    ApplyListener listener) {
        if (!plan.isConsistent()) {
            throw new IllegalArgumentException("refusing to apply an inconsistent plan: " + plan.inconsistencies());
        }
        for (String n : plan.nodeIds()) {
            if (!trees.containsKey(n)) {
                throw new IllegalArgumentException("no tree for node " + n);
            }
        }
        return new Applier(trees, options, listener).run(plan);
    }

    private ApplyReport run(Plan plan) {
        long start = System.nanoTime();
        itemsTotal = plan.actions().size();
        bytesTotal = plan.totalBytes();
        fingerprinters = ThreadLocal.withInitial(() -> new Fingerprinter(options.chunker()));
        List<ItemResult> results = new ArrayList<>(plan.actions().size());

        List<PlannedAction> conflicts = select(plan, ActionType.KEEP_AS_CONFLICT);
        List<PlannedAction> deletes = select(plan, ActionType.DELETE);
        deletes.sort(Comparator.comparingInt((PlannedAction a) -> a.targetPath().depth()).reversed());
        List<PlannedAction> mkdirs = select(plan, ActionType.CREATE_DIRECTORY);
        mkdirs.sort(Comparator.comparingInt(a -> a.targetPath().depth()));
        List<PlannedAction> copies = new ArrayList<>(select(plan, ActionType.COPY));
        copies.addAll(select(plan, ActionType.COPY_CONTENT));
        List<PlannedAction> dates = select(plan, ActionType.COPY_DATES);

        ExecutorService pool = pool(options.threads(), "ciphersync-apply");
        ExecutorService syncers = pool(options.syncThreads(), "ciphersync-fsync");
        try {
            for (PlannedAction a : conflicts) {
                results.add(finish(keepAsConflict(a)));
            }
            for (PlannedAction a : deletes) {
                results.add(finish(delete(a)));
            }
            for (PlannedAction a : mkdirs) {
                results.add(finish(createDirectory(a)));
            }
            results.addAll(copyAll(pool, syncers, copies));
            for (PlannedAction a : dates) {
                results.add(finish(copyDates(a)));
            }
            finishFolders(results);
            syncDirectories(syncers);
        } finally {
            pool.shutdownNow();
            syncers.shutdownNow();
        }
        long bytes = 0;
        for (ItemResult r : results) {
            bytes += r.bytesWritten();
        }
        return new ApplyReport(results, bytes, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Created folders get their source's date and mode last, deepest first ({@link #finishCreatedFolder}). */
    private void finishFolders(List<ItemResult> results) {
        List<Integer> made = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            ItemResult r = results.get(i);
            if (r.ok() && r.action().type() == ActionType.CREATE_DIRECTORY && r.action().source() != null) {
                made.add(i);
            }
        }
        made.sort(Comparator.comparingInt((Integer i) -> results.get(i).action().targetPath().depth()).reversed());
        for (int i : made) {
            PlannedAction a = results.get(i).action();
            results.set(i, finishCreatedFolder(tree(a.targetNode()), a));
        }
    }

    /**
     * The last step of a folder a run created (by this engine, or by a caller that placed files
     * itself) once everything in it is written: its source's date, then its mode (created with the
     * owner's {@code rwx} added, {@link PosixMode#whileFilling}). Callers go deepest first: writing
     * into a folder changes its date, and its mode may forbid writing into it. A mode that cannot be
     * set fails the item (the folder and its contents stay); a date that cannot be set does not (the
     * comparison never acts on a folder's date).
     */
    public static ItemResult finishCreatedFolder(FileTree t, PlannedAction a) {
        int mode = a.source() == null ? FileAttrs.NO_MODE : a.source().posixMode();
        try {
            if (a.source() != null) {
                t.setMtime(a.targetPath(), a.source().mtimeNanos());
            }
        } catch (IOException ignored) {
            // cosmetic, see above
        }
        try {
            if (mode != PosixMode.whileFilling(mode)) {
                t.setPosixMode(a.targetPath(), mode);
            }
            return ItemResult.done(a, 0, t.stat(a.targetPath()).orElse(null), null);
        } catch (IOException e) {
            return ItemResult.failed(a, a.targetNode() + ": could not set the permissions of " + a.targetPath()
                    + " (" + describe(e) + "); the folder and its contents are in place, with its owner's write"
                    + " permission added — set its mode by hand");
        }
    }

    private static List<PlannedAction> select(Plan plan, ActionType type) {
        List<PlannedAction> out = new ArrayList<>();
        for (PlannedAction a : plan.actions()) {
            if (a.type() == type) {
                out.add(a);
            }
        }
        return out;
    }

    private static ExecutorService pool(int threads, String name) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The file copies, in batches of at most {@link ApplyOptions#batchFiles()} files and
     * {@link #BATCH_BYTES} bytes (at least one file): every file of a batch is written to its
     * temporary name (in parallel, no fsync), then all of them are fsynced (in parallel, on the
     * fsync pool), then each durable one is checked and renamed into place. No file is renamed
     * before its own fsync returned, so a final name never holds content that was not fully
     * written; concurrent fsyncs while nothing else changes the file system share journal commits.
     */
    private List<ItemResult> copyAll(ExecutorService writers, ExecutorService syncers, List<PlannedAction> copies) {
        List<ItemResult> out = new ArrayList<>(copies.size());
        int i = 0;
        while (i < copies.size()) {
            int j = i;
            long bytes = 0;
            while (j < copies.size() && j - i < options.batchFiles()
                    && (j == i || bytes + copies.get(j).bytes() <= BATCH_BYTES)) {
                bytes += copies.get(j).bytes();
                j++;
            }
            List<Staged> written = each(writers, copies.subList(i, j), this::write,
                    (a, why) -> Staged.finished(ItemResult.failed(a, a.targetNode() + ": " + a.targetPath() + ": " + why)));
            List<Staged> durable = each(syncers, written, this::force, (st, why) -> abandon(st, why));
            out.addAll(each(writers, durable, st -> finish(place(st)), (st, why) -> finish(abandon(st, why).result())));
            i = j;
        }
        return out;
    }

    /**
     * Runs {@code step} on every item on {@code pool} and returns the results in order; an item
     * whose task failed unexpectedly or was interrupted gets {@code onError(item, why)}.
     */
    private static <T, R> List<R> each(ExecutorService pool, List<T> items, java.util.function.Function<T, R> step,
                                       java.util.function.BiFunction<T, String, R> onError) {
        List<Future<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(pool.submit(() -> step.apply(item)));
        }
        List<R> out = new ArrayList<>(items.size());
        for (int k = 0; k < futures.size(); k++) {
            try {
                out.add(futures.get(k).get());
            } catch (ExecutionException e) {
                out.add(onError.apply(items.get(k), "internal error " + e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(onError.apply(items.get(k), "interrupted before it was written; run again"));
            }
        }
        return out;
    }

    private void syncDirectories(ExecutorService pool) {
        List<Future<?>> fs = new ArrayList<>();
        for (Touched t : touchedDirs) {
            fs.add(pool.submit(() -> {
                tree(t.node()).fsyncDirectory(t.dir());
                return null;
            }));
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (ExecutionException | InterruptedException ignored) {
                // a directory fsync failing is not an item failure: the renames are done
            }
        }
    }

    private ItemResult finish(ItemResult r) {
        if (!r.ok()) {
            failedPaths.add(new Failed(r.action().targetNode(), r.action().targetPath()));
            if (r.action().sourceNode() != null && r.action().source() != null) {
                failedPaths.add(new Failed(r.action().sourceNode(), r.action().source().path()));
            }
        }
        long done = itemsDone.incrementAndGet();
        long b = bytesDone.addAndGet(r.bytesWritten());
        listener.itemDone(r, done, itemsTotal, b, bytesTotal);
        return r;
    }

    private FileTree tree(String node) {
        return trees.get(node);
    }

    private void touched(String node, RelPath path) {
        RelPath parent = path.parent();
        touchedDirs.add(new Touched(node, parent == null ? RelPath.ROOT : parent));
    }

    // ------------------------------------------------------------------ checks and messages

    /** Whether what is there now is what the inventory saw (null: absent). */
    static boolean matches(Optional<FileAttrs> now, InventoryEntry expected) {
        if (expected == null) {
            return now.isEmpty();
        }
        if (now.isEmpty() || now.get().type() != expected.type()) {
            return false;
        }
        if (expected.isDirectory()) {
            return true;
        }
        return now.get().size() == expected.size() && now.get().mtimeNanos() == expected.mtimeNanos();
    }

    private static String what(Optional<FileAttrs> now, InventoryEntry expected) {
        if (expected == null) {
            return "it appeared since the inventory";
        }
        if (now.isEmpty()) {
            return "it disappeared since the inventory";
        }
        if (now.get().type() != expected.type()) {
            return "it became a " + now.get().type().name().toLowerCase(java.util.Locale.ROOT) + " since the inventory";
        }
        return "it changed since the inventory (size " + expected.size() + " → " + now.get().size() + ")";
    }

    private static ItemResult changedTarget(PlannedAction a, Optional<FileAttrs> now) {
        return ItemResult.changed(a, a.targetNode() + ": " + a.targetPath() + " was left alone: "
                + what(now, a.expectedTarget()) + "; run again to re-plan it");
    }

    private static ItemResult changedSource(PlannedAction a, String what) {
        return ItemResult.changed(a, a.sourceNode() + ": " + a.source().path() + " was not copied to " + a.targetNode()
                + ": " + what + "; run again to re-plan it");
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof NoSuchFileException) {
            return "not found: " + m;
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + m;
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists: " + m;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty: " + m;
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason() + ": " + fse.getFile() + (fse.getOtherFile() != null ? " → " + fse.getOtherFile() : "");
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static ItemResult failed(PlannedAction a, String doing, IOException e) {
        return ItemResult.failed(a, a.targetNode() + ": could not " + doing + " " + a.targetPath() + " ("
                + describe(e) + "); nothing partial is left under that name — fix the cause and run again");
    }

    // ------------------------------------------------------------------ actions

    private ItemResult keepAsConflict(PlannedAction a) {
        FileTree t = tree(a.targetNode());
        try {
            Optional<FileAttrs> src = t.stat(a.source().path());
            if (!matches(src, a.source())) {
                return changedSource(a, what(src, a.source()));
            }
            Optional<FileAttrs> dst = t.stat(a.targetPath());
            if (dst.isPresent()) {
                return changedTarget(a, dst);
            }
            t.rename(a.source().path(), a.targetPath());
            touched(a.targetNode(), a.targetPath());
            return ItemResult.done(a, 0, t.stat(a.targetPath()).orElse(null), hashOf(a.source()));
        } catch (IOException e) {
            return failed(a, "rename the conflicting version to", e);
        }
    }

    private ItemResult delete(PlannedAction a) {
        FileTree t = tree(a.targetNode());
        try {
            Optional<FileAttrs> now = t.stat(a.targetPath());
            if (!matches(now, a.expectedTarget())) {
                return changedTarget(a, now);
            }
            if (now.get().isDirectory()) {
                for (Failed f : failedPaths) {
                    if (f.node().equals(a.targetNode()) && f.path().startsWith(a.targetPath())
                            && !f.path().equals(a.targetPath())) {
                        return ItemResult.changed(a, a.targetNode() + ": " + a.targetPath()
                                + " was not deleted because " + f.path() + " inside it was not; run again");
                    }
                }
                try {
                    t.delete(a.targetPath());
                } catch (DirectoryNotEmptyException e) {
                    VersionsArea.keep(t, a.targetPath(), now());
                }
            } else {
                VersionsArea.keep(t, a.targetPath(), now());
            }
            touched(a.targetNode(), a.targetPath());
            return ItemResult.done(a, 0, null, null);
        } catch (IOException e) {
            return failed(a, "delete", e);
        }
    }

    private ItemResult createDirectory(PlannedAction a) {
        FileTree t = tree(a.targetNode());
        try {
            Optional<FileAttrs> now = t.stat(a.targetPath());
            if (!matches(now, a.expectedTarget())) {
                return changedTarget(a, now);
            }
            if (now.isPresent() && !now.get().isDirectory()) {
                VersionsArea.keep(t, a.targetPath(), now());
            }
            t.createDirectories(a.targetPath());
            if (a.source() != null && a.source().posixMode() >= 0) {
                // its own mode at the end of the run (finishFolders): it may forbid writing into it
                t.setPosixMode(a.targetPath(), PosixMode.whileFilling(a.source().posixMode()));
            }
            touched(a.targetNode(), a.targetPath());
            return ItemResult.done(a, 0, t.stat(a.targetPath()).orElse(null), null);
        } catch (IOException e) {
            return failed(a, "create directory", e);
        }
    }

    private ItemResult copyDates(PlannedAction a) {
        FileTree t = tree(a.targetNode());
        try {
            Optional<FileAttrs> now = t.stat(a.targetPath());
            if (!matches(now, a.expectedTarget())) {
                return changedTarget(a, now);
            }
            Optional<FileAttrs> src = tree(a.sourceNode()).stat(a.source().path());
            if (!matches(src, a.source())) {
                return changedSource(a, what(src, a.source()));
            }
            t.setMtime(a.targetPath(), a.source().mtimeNanos());
            return ItemResult.done(a, 0, t.stat(a.targetPath()).orElse(null), hashOf(a.expectedTarget()));
        } catch (IOException e) {
            return failed(a, "set the date of", e);
        }
    }

    private static String hashOf(InventoryEntry e) {
        return e == null || e.fingerprint() == null ? null : e.fingerprint().fileHashHex();
    }

    private Instant now() {
        return now;
    }

    /** A temporary name in {@code parent}: the run's random 64-bit base plus a counter (unique per run). */
    private RelPath tempName(RelPath parent) {
        long n = tempBase + tempCounter.getAndIncrement();
        return parent.resolve(EngineArea.TEMP_PREFIX + HexFormat.of().toHexDigits(n));
    }

    /**
     * The write step of a copy: write a temporary file in the target folder while fingerprinting
     * the bytes, re-check the source and compare with the inventory's fingerprint, set the date,
     * stat the temporary file (size, mode, the attributes the item reports), optionally read it
     * back. The channel stays open for {@link #force}; nothing is renamed yet.
     *
     * <p>System calls per new file on a local tree, with {@link #force} and {@link #place}: open
     * the source (a stat refusing anything but a regular file, then the open), create the
     * temporary file, read and write, stat the source (unchanged since the inventory?), set the
     * date, stat the temporary file (its size, mode and identity, which the rename keeps, so the
     * result needs no stat after it), fsync, stat the target (unchanged since the inventory?),
     * rename. The target is checked once, right before the rename, where it matters; a check
     * before the copy would only save the work of a copy that is then discarded.
     */
    private Staged write(PlannedAction a) {
        FileTree dst = tree(a.targetNode());
        FileTree src = tree(a.sourceNode());
        InventoryEntry s = a.source();
        RelPath target = a.targetPath();
        RelPath tmp = null;
        SeekableByteChannel out = null;
        try {
            RelPath parent = target.parent();
            if (!parent.isRoot() && !knownDirs.contains(new Touched(a.targetNode(), parent))) {
                Optional<FileAttrs> pa = dst.stat(parent);
                if (pa.isEmpty()) {
                    dst.createDirectories(parent);
                } else if (!pa.get().isDirectory()) {
                    return Staged.finished(ItemResult.failed(a, a.targetNode() + ": cannot write " + target
                            + " because " + parent + " is not a directory there; remove or rename it and run again"));
                }
                knownDirs.add(new Touched(a.targetNode(), parent));
            }
            SeekableByteChannel in;
            try {
                in = src.openRead(s.path());
            } catch (IOException e) {
                // vanished, or no longer a regular file: a change since the inventory, not a failure
                Optional<FileAttrs> now = src.stat(s.path());
                if (!matches(now, s)) {
                    return Staged.finished(changedSource(a, what(now, s)));
                }
                throw e;
            }
            Fingerprint written;
            long[] count = new long[1];
            RelPath name = tempName(parent);
            try (in) {
                SeekableByteChannel o = dst.createNew(name);
                out = o;
                tmp = name;
                written = fingerprinters.get().fingerprint(in, (off, data, from, len, hash) -> {
                    ByteBuffer b = ByteBuffer.wrap(data, from, len);
                    while (b.hasRemaining()) {
                        o.write(b);
                    }
                    count[0] += len;
                });
            }
            Optional<FileAttrs> after = src.stat(s.path());
            if (!matches(after, s)) {
                abandon(dst, tmp, out);
                return Staged.finished(changedSource(a, what(after, s)));
            }
            if (count[0] != s.size() || (s.fingerprint() != null && !written.sameContent(s.fingerprint()))) {
                abandon(dst, tmp, out);
                return Staged.finished(changedSource(a, "its content changed since the inventory"));
            }
            if (a.type() == ActionType.COPY) {
                dst.setMtime(tmp, s.mtimeNanos());
            }
            FileAttrs made = settle(dst, tmp, a, count[0]);
            verify(dst, tmp, out, count[0], written);
            return new Staged(a, null, tmp, out, count[0], made, written.fileHashHex());
        } catch (IOException e) {
            abandon(dst, tmp, out);
            return Staged.finished(failed(a, "write", e));
        } catch (RuntimeException e) {
            abandon(dst, tmp, out);
            return Staged.finished(internalError(a, e));
        }
    }

    /** The durability step of a copy: fsync the temporary file through its open channel, close it. */
    private Staged force(Staged st) {
        if (st.result() != null) {
            return st;
        }
        FileTree dst = tree(st.action().targetNode());
        try {
            try {
                dst.fsync(st.tmp(), st.channel());
            } finally {
                st.channel().close();
            }
            return st;
        } catch (IOException e) {
            abandon(dst, st.tmp(), st.channel());
            return Staged.finished(failed(st.action(), "write", e));
        } catch (RuntimeException e) {
            abandon(dst, st.tmp(), st.channel());
            return Staged.finished(internalError(st.action(), e));
        }
    }

    /**
     * The last step of a copy, after its fsync: re-check the target against the inventory, keep
     * an existing target as a version, rename the temporary file into place.
     */
    private ItemResult place(Staged st) {
        if (st.result() != null) {
            return st.result();
        }
        PlannedAction a = st.action();
        FileTree dst = tree(a.targetNode());
        RelPath target = a.targetPath();
        try {
            Optional<FileAttrs> again = dst.stat(target);
            if (!matches(again, a.expectedTarget())) {
                discard(dst, st.tmp());
                return changedTarget(a, again);
            }
            if (again.isPresent()) {
                VersionsArea.keep(dst, target, now());
            }
            dst.rename(st.tmp(), target);
            touched(a.targetNode(), target);
            // a rename keeps the inode, size, mode and the date just set: the temporary file's attributes
            return ItemResult.done(a, st.bytes(), st.attrs(), st.hash());
        } catch (IOException e) {
            discard(dst, st.tmp());
            return failed(a, "write", e);
        } catch (RuntimeException e) {
            discard(dst, st.tmp());
            return internalError(a, e);
        }
    }

    /** A copy whose step did not run to its end (a bug or an interrupt): its temporary file goes. */
    private Staged abandon(Staged st, String why) {
        if (st.result() != null) {
            return st;
        }
        abandon(tree(st.action().targetNode()), st.tmp(), st.channel());
        PlannedAction a = st.action();
        return Staged.finished(ItemResult.failed(a, a.targetNode() + ": " + a.targetPath() + ": " + why));
    }

    private static void abandon(FileTree dst, RelPath tmp, SeekableByteChannel out) {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
        }
        if (tmp != null) {
            discard(dst, tmp);
        }
    }

    private static ItemResult internalError(PlannedAction a, RuntimeException e) {
        return ItemResult.failed(a, a.targetNode() + ": could not write " + a.targetPath() + " (internal error: " + e
                + "); nothing partial is left under that name — please report this");
    }

    /**
     * Stats the written temporary file once: checks its size (a write cut short shows here) and
     * sets the permission bits only where they differ from what the file was created with.
     * Returns the attributes the file will have under its final name.
     */
    private static FileAttrs settle(FileTree dst, RelPath tmp, PlannedAction a, long bytes) throws IOException {
        FileAttrs made = dst.stat(tmp).orElseThrow(() -> new java.nio.file.NoSuchFileException(tmp.toString()));
        if (!made.isFile() || made.size() != bytes) {
            throw new IOException("verification failed: wrote " + bytes + " bytes but the file has " + made.size());
        }
        InventoryEntry s = a.source();
        int mode = a.type() == ActionType.COPY || a.expectedTarget() == null ? s.posixMode()
                : a.expectedTarget().posixMode();
        if (mode >= 0 && made.posixMode() != FileAttrs.NO_MODE && (made.posixMode() & 07777) != (mode & 07777)
                && dst.setPosixMode(tmp, mode)) {
            made = new FileAttrs(made.type(), made.size(), made.mtimeNanos(), mode & 07777, made.fileKey());
        }
        return made;
    }

    /**
     * With {@link ApplyOptions#verifyRereadMaxBytes()}: files up to that size are read back and
     * their fingerprint compared with the bytes written (through the written channel when it can
     * read, else by opening the file again). The size was checked by {@link #settle}.
     */
    private void verify(FileTree dst, RelPath tmp, SeekableByteChannel written0, long bytes, Fingerprint written)
            throws IOException {
        if (bytes > options.verifyRereadMaxBytes()) {
            return;
        }
        Fingerprint back;
        try {
            written0.position(0);
            back = fingerprinters.get().fingerprint(written0);
        } catch (java.nio.channels.NonReadableChannelException notReadable) {
            try (SeekableByteChannel in = dst.openRead(tmp)) {
                back = fingerprinters.get().fingerprint(in);
            }
        }
        if (!back.sameContent(written)) {
            throw new IOException("verification failed: the bytes read back differ from the bytes written");
        }
    }

    private static void discard(FileTree t, RelPath tmp) {
        try {
            t.delete(tmp);
        } catch (IOException ignored) {
            // removed by TempCleaner on the next run
        }
    }
}
