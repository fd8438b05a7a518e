package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.inventory.Fingerprint;
import org.ciphersync.core.path.InvalidPathException;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.Commit;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.chain.VersionVector;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.format.BlobKind;
import org.ciphersync.vault.format.BlobIndex;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.prune.Prune;
import org.ciphersync.vault.repo.Head;
import org.ciphersync.vault.repo.LogEntry;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.state.LocalState;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.tree.BlobId;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.TreeCodec;
import org.ciphersync.vault.tree.VaultPath;

/**
 * Up-sync (V4 manual trigger, V9): stores new and changed data of some paths and commits them as
 * this computer's next log entry (docs/design.md (Vault) §4–5).
 *
 * <ol>
 *   <li>Read this computer's state and every log; refuse a rolled-back vault.</li>
 *   <li>Walk the roots. A file whose size and mtime equal the last synchronized ones is
 *       unchanged and not read. Others are read once: chunked (FastCDC, vault parameters),
 *       hashed, and every chunk whose keyed id is neither in the namespace's index nor in a pack
 *       an interrupted up-sync of this computer stored ({@link Resume}) is handed to the sealing
 *       thread (compress + encrypt + checkpoint + pack + store).</li>
 *   <li>Every folder below a root (and a root that is a folder, unless it is the home) has a version
 *       of its own: its mtime and POSIX mode. It is unchanged while both equal the recorded ones, so an
 *       empty folder added, removed, touched or chmod-ed is a change like a file's.</li>
 *   <li>A changed path gets {@code vv = base.vv[C := S]}; a path synchronized before and now gone
 *       gets a tombstone with the same rule. Files that cannot be read keep their old version.</li>
 *   <li>Store trees, then the index object, then the commit: a crash before the commit leaves only
 *       unreferenced objects and checkpoints the next up-sync resumes from. The local state is
 *       saved, then this computer's checkpoints of the namespace are deleted.</li>
 * </ol>
 */
public final class UpSync {
    private UpSync() {
    }

    /**
     * What an up-sync did. {@code commit} is null when nothing had changed. The folder counts are
     * those of {@code folders} (folders with a version: below the roots, and roots that are folders).
     */
    public record Summary(long files, long bytes, long newFiles, long changedFiles, long removedFiles, long newBytes,
                          long changedBytes, long uploadedBytes, int packs, String commit, List<ItemFailure> failures,
                          Folders folders) {
    }

    /** Folders seen, and how many are new, changed (mtime or mode) or removed since the last sync. */
    public record Folders(long seen, long added, long changed, long removed) {
        public long changes() {
            return added + changed + removed;
        }
    }

    @SuppressWarnings("try") // the local lock is held for the whole block
    public static Summary run(Repository repo, LocalComputer computer, String ns, List<Path> paths, Progress progress)
            throws IOException {
        Objects.requireNonNull(paths, "paths == null");
        if (paths.isEmpty()) {
            throw new VaultException(VaultException.Kind.USAGE, "name at least one path to up-sync");
        }
        String vaultId = repo.vaultId();
        ComputerId me = computer.config().computer();
        try (LocalLock lock = LocalLock.acquire(computer.dirs().vaultDataDir(vaultId))) {
            Prune.acknowledge(repo, me, computer.clock().millis());
            LocalState state = LocalState.load(computer.dirs(), vaultId, ns);
            Map<ComputerId, List<LogEntry>> logs = repo.logs(ns);
            Map<ComputerId, Head> heads = Repository.checkRollback(logs, state.heads());
            BlobIndex index = repo.index(ns, logs);
            // after the acknowledgement (prune, §7)
            Resume resume = Resume.load(repo, ns, me, index, Resume.marker(computer.dirs(), vaultId, ns));
            List<LogEntry> mine = logs.getOrDefault(me, List.of());
            long seq = mine.size() + 1;
            String prev = mine.isEmpty() ? Commit.NO_PREV : mine.get(mine.size() - 1).hash();

            List<VaultPath> roots = new ArrayList<>();
            for (Path p : paths) {
                Path abs = p.toAbsolutePath().normalize();
                VaultPath vp;
                try {
                    vp = VaultPath.ofLocal(abs, computer.home());
                } catch (InvalidPathException e) {
                    throw new VaultException(VaultException.Kind.USAGE, "cannot up-sync " + abs + ": " + e.getMessage());
                }
                if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !hasSyncedBelow(state, vp)) {
                    throw new VaultException(VaultException.Kind.USAGE, "no such file or folder: " + abs);
                }
                if (vp.isRoot() && !vp.home()) {
                    throw new VaultException(VaultException.Kind.USAGE, "refusing to up-sync the whole file system '/'");
                }
                roots.add(vp);
            }
            long now = computer.clock().millis();
            Scan scan = new Scan(repo, ns, me, seq, now, state, index, resume, progress);
            try (PackUploader uploader = new PackUploader(repo, ns, me, progress)) {
                scan.uploader = uploader;
                for (int i = 0; i < roots.size(); i++) {
                    scan.walk(paths.get(i).toAbsolutePath().normalize(), roots.get(i));
                }
                scan.tombstones(roots);
                boolean changed = scan.newFiles + scan.changedFiles + scan.removedFiles + scan.folders().changes() > 0
                        || !coveredBefore(roots, logs.getOrDefault(me, List.of()));
                if (!changed) {
                    uploader.finish();
                    resume.keepAll(uploader.checkpoints());
                    return summary(scan, uploader, null);
                }
                List<FileVersion> versions = scan.synced.values().stream().map(SyncedVersion::version).toList();
                BlobId treeRoot = TreeCodec.encode(versions, bytes -> scan.codec.idOf(bytes, 0, bytes.length), (id, bytes) -> {
                    if (!scan.stored(id) && scan.queued.add(id)) {
                        uploader.add(id, BlobKind.TREE, bytes); // as each tree is made: they are never all held
                    }
                });
                List<IndexEntry> entries = new ArrayList<>(uploader.finish());
                entries.addAll(resume.reused());
                List<String> indexes = new ArrayList<>();
                if (!entries.isEmpty()) {
                    BlobName idx = repo.saveIndex(ns, me, entries);
                    indexes.add(idx.name());
                }
                Commit c = new Commit(seq, prev, me, computer.config().computerName(), computer.user(), now, ns, roots,
                        treeRoot, indexes, new Commit.Stats(scan.files, scan.bytes, scan.newFiles, scan.changedFiles,
                        scan.removedFiles, scan.newBytes, uploader.uploadedBytes()));
                LogEntry entry = repo.saveCommit(c);
                // The vault now holds the commit: record it locally.
                TreeMap<ComputerId, Head> newHeads = new TreeMap<>(heads);
                newHeads.put(me, new Head(seq, entry.hash()));
                for (VaultPath r : roots) {
                    org.ciphersync.vault.chain.ComputerView.removeBelow(state.synced(), r);
                }
                for (Map.Entry<VaultPath, SyncedVersion> e; (e = scan.synced.pollFirstEntry()) != null; ) {
                    state.synced().put(e.getKey(), e.getValue()); // moved, not copied: one map's worth at a time
                }
                state.save(computer.dirs(), vaultId, ns, newHeads);
                resume.discard(repo, uploader.checkpoints());
                return summary(scan, uploader, entry.shortId());
            }
        }
    }

    private static boolean hasSyncedBelow(LocalState state, VaultPath root) {
        VaultPath first = state.synced().ceilingKey(root);
        return first != null && first.startsWith(root);
    }

    private static boolean coveredBefore(List<VaultPath> roots, List<LogEntry> mine) {
        return roots.stream().allMatch(r -> mine.stream().anyMatch(e -> e.commit().roots().stream().anyMatch(r::startsWith)));
    }

    private static Summary summary(Scan s, PackUploader u, String commit) {
        return new Summary(s.files, s.bytes, s.newFiles, s.changedFiles, s.removedFiles, s.newBytes, s.changedBytes,
                u.uploadedBytes(), u.packs(), commit, List.copyOf(s.failures), s.folders());
    }

    /** The reading stage: walks, decides changed or not, chunks and hands new chunks to the uploader. */
    private static final class Scan {
        final Repository repo;
        final ComputerId me;
        final long seq;
        final long now;
        final LocalState state;
        final Map<BlobId, IndexEntry> index;
        final Resume resume;
        final Progress progress;
        final BlobCodec codec;
        final Fingerprinter fingerprinter;
        final Set<BlobId> queued = new HashSet<>();
        /** Every path's version after this up-sync, with the local size and mtime it was read at. */
        final TreeMap<VaultPath, SyncedVersion> synced = new TreeMap<>();
        final List<ItemFailure> failures = new ArrayList<>();
        PackUploader uploader;
        long files;
        long bytes;
        long newFiles;
        long changedFiles;
        long removedFiles;
        long newBytes;
        long changedBytes;
        long folders;
        long newFolders;
        long changedFolders;
        long removedFolders;

        Scan(Repository repo, String ns, ComputerId me, long seq, long now, LocalState state, Map<BlobId, IndexEntry> index,
             Resume resume, Progress progress) {
            this.repo = repo;
            this.me = me;
            this.seq = seq;
            this.now = now;
            this.state = state;
            this.index = index;
            this.resume = resume;
            this.progress = progress;
            this.codec = repo.codec(ns);
            this.fingerprinter = new Fingerprinter(repo.config().chunker());
        }

        /** True when blob {@code id} is already in the vault: indexed by a commit, or in a pack an interrupted up-sync stored. */
        boolean stored(BlobId id) {
            return index.containsKey(id) || resume.reuse(id);
        }

        void walk(Path local, VaultPath root) throws IOException {
            if (!Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
                return; // everything below becomes a tombstone
            }
            Files.walkFileTree(local, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    VaultPath p;
                    try {
                        p = pathOf(root, local, dir);
                    } catch (InvalidPathException e) {
                        failures.add(new ItemFailure(dir.toString(), "skipped with everything in it: " + e.getMessage()));
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!p.isRoot()) {
                        visitFolder(dir, p, attrs);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String fn = file.getFileName().toString();
                    if (fn.startsWith(".") && fn.endsWith(".cs-tmp")) {
                        return FileVisitResult.CONTINUE; // a down-sync's temporary file, never data
                    }
                    VaultPath p;
                    try {
                        p = pathOf(root, local, file);
                    } catch (InvalidPathException e) {
                        failures.add(new ItemFailure(file.toString(), "skipped: " + e.getMessage()));
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                        visit(file, p, attrs);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    failures.add(new ItemFailure(file.toString(), "cannot read: " + exc.getMessage()));
                    keepPreviousBelow(file, root, local);
                    return FileVisitResult.CONTINUE;
                }
            });
        }

        private static VaultPath pathOf(VaultPath root, Path localRoot, Path file) {
            Path rel = localRoot.relativize(file);
            String s = rel.toString().replace('\\', '/');
            return s.isEmpty() ? root : (root.isRoot() ? new VaultPath(root.home(), org.ciphersync.core.path.RelPath.of(s))
                    : new VaultPath(root.home(), root.rel().resolve(org.ciphersync.core.path.RelPath.of(s))));
        }

        private void keepPreviousBelow(Path file, VaultPath root, Path localRoot) {
            try {
                VaultPath p = pathOf(root, localRoot, file);
                state.synced().tailMap(p, true).forEach((k, v) -> {
                    if (k.startsWith(p) && !synced.containsKey(k)) {
                        synced.put(k, v);
                    }
                });
            } catch (InvalidPathException ignored) {
                // the path itself was invalid; nothing was synchronized below it
            }
        }

        /**
         * The last synchronized version of {@code p}, moved from the state to this scan's map so that
         * the two maps never hold a path each (what stays in the state below the roots was not seen:
         * {@link #tombstones}). A path already seen (roots that overlap) is found in this scan's map.
         */
        private SyncedVersion previous(VaultPath p) {
            SyncedVersion s = state.synced().remove(p);
            return s != null ? s : synced.get(p);
        }

        /**
         * Records a path's version after this up-sync, keyed by the version's own path object: an
         * unchanged path keeps the one it was loaded with, so a million paths are not held twice.
         */
        private void record(SyncedVersion s) {
            synced.put(s.version().path(), s);
        }

        void visit(Path file, VaultPath p, BasicFileAttributes attrs) {
            SyncedVersion prev = previous(p);
            long size = attrs.isSymbolicLink() ? 0 : attrs.size();
            long mtime = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            files++;
            bytes += size;
            progress.scanned(files, bytes);
            if (prev != null && !prev.version().isDeleted() && prev.localSize() == size && prev.localMtimeNanos() == mtime
                    && (prev.version().kind() == EntryKind.FILE) == attrs.isRegularFile()) {
                record(prev);
                return;
            }
            try {
                FileVersion fresh = attrs.isSymbolicLink() ? readLink(file, p, mtime) : readFile(file, p, size, mtime);
                if (fresh == null) {
                    keep(p, prev);
                    return;
                }
                FileVersion v;
                if (prev != null && !prev.version().isDeleted() && prev.version().sameContent(fresh)) {
                    v = prev.version(); // touched, same content: same version
                } else {
                    VersionVector base = prev == null ? VersionVector.EMPTY : prev.version().vv();
                    v = fresh.withVersion(base.with(me, seq), me, now);
                    if (prev == null || prev.version().isDeleted()) {
                        newFiles++;
                        newBytes += size;
                    } else {
                        changedFiles++;
                        changedBytes += size;
                    }
                }
                record(new SyncedVersion(v, size, mtime));
            } catch (IOException e) {
                failures.add(new ItemFailure(file.toString(), "cannot read: " + e.getMessage() + " (its previous version is kept)"));
                keep(p, prev);
            }
        }

        Folders folders() {
            return new Folders(folders, newFolders, changedFolders, removedFolders);
        }

        /** A folder: unchanged while its mtime is the recorded one and its mode the version's; else a new version. */
        void visitFolder(Path dir, VaultPath p, BasicFileAttributes attrs) {
            SyncedVersion prev = previous(p);
            long mtime = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            int mode = PosixModes.of(dir);
            folders++;
            FileVersion fresh = FileVersion.folder(p, mtime, mode, VersionVector.EMPTY, me, now);
            FileVersion v;
            if (prev != null && prev.version().isFolder()
                    && (prev.localMtimeNanos() == mtime && (mode < 0 || prev.version().mode() == mode)
                        || prev.version().sameContent(fresh))) {
                v = prev.version();
            } else {
                VersionVector base = prev == null ? VersionVector.EMPTY : prev.version().vv();
                v = fresh.withVersion(base.with(me, seq), me, now);
                if (prev == null || prev.version().isDeleted()) {
                    newFolders++;
                } else {
                    changedFolders++;
                }
            }
            record(new SyncedVersion(v, 0, mtime));
        }

        private void keep(VaultPath p, SyncedVersion prev) {
            if (prev != null) {
                record(prev);
            }
        }

        private FileVersion readLink(Path file, VaultPath p, long mtime) throws IOException {
            String target = Files.readSymbolicLink(file).toString();
            return new FileVersion(p, EntryKind.SYMLINK, 0, mtime, -1, new byte[0], List.of(), target, VersionVector.EMPTY, me, now);
        }

        private FileVersion readFile(Path file, VaultPath p, long size, long mtime) throws IOException {
            List<BlobId> chunks = new ArrayList<>();
            Fingerprint fp;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                fp = fingerprinter.fingerprint(ch, (offset, data, off, len, hash) -> {
                    BlobId id = codec.idOfHash(hash);
                    chunks.add(id);
                    if (!stored(id) && queued.add(id)) {
                        uploader.add(id, BlobKind.CHUNK, java.util.Arrays.copyOfRange(data, off, off + len));
                    }
                });
            }
            BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (fp.size() != size || after.size() != size || after.lastModifiedTime().to(TimeUnit.NANOSECONDS) != mtime) {
                failures.add(new ItemFailure(file.toString(), "changed while it was read; its previous version is kept (run again)"));
                return null;
            }
            return new FileVersion(p, EntryKind.FILE, size, mtime, PosixModes.of(file), fp.fileHash(), chunks, "", VersionVector.EMPTY, me, now);
        }

        /** Paths synchronized before under the roots and not seen now become tombstones (or stay tombstones). */
        void tombstones(List<VaultPath> roots) {
            for (VaultPath r : roots) {
                for (Map.Entry<VaultPath, SyncedVersion> e : state.synced().tailMap(r, true).entrySet()) {
                    if (!e.getKey().startsWith(r)) {
                        break;
                    }
                    if (synced.containsKey(e.getKey())) {
                        continue;
                    }
                    FileVersion old = e.getValue().version();
                    if (old.isDeleted()) {
                        synced.put(e.getKey(), e.getValue());
                    } else {
                        FileVersion t = FileVersion.deleted(e.getKey(), now * 1_000_000, old.vv().with(me, seq), me, now);
                        synced.put(e.getKey(), new SyncedVersion(t, 0, 0));
                        if (old.isFolder()) {
                            removedFolders++;
                        } else {
                            removedFiles++;
                        }
                    }
                }
            }
        }
    }
}
