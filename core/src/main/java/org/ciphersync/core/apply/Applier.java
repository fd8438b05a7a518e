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

    private record Failed(String node, RelPath path) {
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

        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "ciphersync-apply");
            t.setDaemon(true);
            return t;
        });
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
            results.addAll(parallel(pool, copies));
            for (PlannedAction a : dates) {
                results.add(finish(copyDates(a)));
            }
            // Directory dates last (writing into a directory changes its mtime), deepest first.
            List<ItemResult> made = new ArrayList<>();
            for (ItemResult r : results) {
                if (r.ok() && r.action().type() == ActionType.CREATE_DIRECTORY && r.action().source() != null) {
                    made.add(r);
                }
            }
            made.sort(Comparator.comparingInt((ItemResult r) -> r.action().targetPath().depth()).reversed());
            for (ItemResult r : made) {
                try {
                    tree(r.action().targetNode()).setMtime(r.action().targetPath(), r.action().source().mtimeNanos());
                } catch (IOException ignored) {
                    // a directory date is cosmetic: the comparison never acts on it
                }
            }
            syncDirectories(pool);
        } finally {
            pool.shutdownNow();
        }
        long bytes = 0;
        for (ItemResult r : results) {
            bytes += r.bytesWritten();
        }
        return new ApplyReport(results, bytes, Duration.ofNanos(System.nanoTime() - start));
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

    private List<ItemResult> parallel(ExecutorService pool, List<PlannedAction> copies) {
        List<Future<ItemResult>> futures = new ArrayList<>(copies.size());
        for (PlannedAction a : copies) {
            Callable<ItemResult> task = () -> finish(copy(a));
            futures.add(pool.submit(task));
        }
        List<ItemResult> out = new ArrayList<>(copies.size());
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.add(futures.get(i).get());
            } catch (ExecutionException e) {
                out.add(finish(ItemResult.failed(copies.get(i), copies.get(i).targetNode() + ": "
                        + copies.get(i).targetPath() + ": internal error " + e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(finish(ItemResult.failed(copies.get(i), "interrupted before " + copies.get(i).targetPath()
                        + " was written; run again")));
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
                t.setPosixMode(a.targetPath(), a.source().posixMode());
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
     * Copies a file: write a temporary file in the target folder while fingerprinting the bytes,
     * compare with the inventory's fingerprint and re-check the source, set date and mode, fsync,
     * verify, re-check the target, keep the old target as a version, rename into place.
     *
     * <p>System calls per new file on a local tree: open the source (a stat refusing anything but
     * a regular file, then the open), create the temporary file, read and write, stat the source
     * (unchanged since the inventory?), set the date, stat the temporary file (its size, mode and
     * identity, which the rename keeps, so the result needs no stat after it), fsync, stat the
     * target (unchanged since the inventory?), rename. The target is checked once, right before
     * the rename, where it matters; a check before the copy would only save the work of a copy
     * that is then discarded.
     */
    private ItemResult copy(PlannedAction a) {
        FileTree dst = tree(a.targetNode());
        FileTree src = tree(a.sourceNode());
        InventoryEntry s = a.source();
        RelPath target = a.targetPath();
        RelPath tmp = null;
        try {
            RelPath parent = target.parent();
            if (!parent.isRoot() && !knownDirs.contains(new Touched(a.targetNode(), parent))) {
                Optional<FileAttrs> pa = dst.stat(parent);
                if (pa.isEmpty()) {
                    dst.createDirectories(parent);
                } else if (!pa.get().isDirectory()) {
                    return ItemResult.failed(a, a.targetNode() + ": cannot write " + target + " because " + parent
                            + " is not a directory there; remove or rename it and run again");
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
                    return changedSource(a, what(now, s));
                }
                throw e;
            }
            Fingerprint written;
            long[] count = new long[1];
            FileAttrs made;
            RelPath name = tempName(parent);
            try (in; SeekableByteChannel out = dst.createNew(name)) {
                tmp = name;
                written = fingerprinters.get().fingerprint(in, (off, data, from, len, hash) -> {
                    ByteBuffer b = ByteBuffer.wrap(data, from, len);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    count[0] += len;
                });
                Optional<FileAttrs> after = src.stat(s.path());
                if (!matches(after, s)) {
                    out.close();
                    discard(dst, tmp);
                    return changedSource(a, what(after, s));
                }
                if (count[0] != s.size() || (s.fingerprint() != null && !written.sameContent(s.fingerprint()))) {
                    out.close();
                    discard(dst, tmp);
                    return changedSource(a, "its content changed since the inventory");
                }
                if (a.type() == ActionType.COPY) {
                    dst.setMtime(tmp, s.mtimeNanos());
                }
                made = settle(dst, tmp, a, count[0]);
                dst.fsync(tmp, out);
                verify(dst, tmp, out, count[0], written);
            }
            Optional<FileAttrs> again = dst.stat(target);
            if (!matches(again, a.expectedTarget())) {
                discard(dst, tmp);
                return changedTarget(a, again);
            }
            if (again.isPresent()) {
                VersionsArea.keep(dst, target, now());
            }
            dst.rename(tmp, target);
            tmp = null;
            touched(a.targetNode(), target);
            // a rename keeps the inode, size, mode and the date just set: the temporary file's attributes
            return ItemResult.done(a, count[0], made, written.fileHashHex());
        } catch (IOException e) {
            if (tmp != null) {
                discard(dst, tmp);
            }
            return failed(a, "write", e);
        } catch (RuntimeException e) {
            if (tmp != null) {
                discard(dst, tmp);
            }
            return ItemResult.failed(a, a.targetNode() + ": could not write " + target + " (internal error: " + e
                    + "); nothing partial is left under that name — please report this");
        }
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
