package org.ciphersync.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.chunk.SplitMix64;
import org.ciphersync.core.fs.DirEntry;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.fs.FileAttrs;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.fs.ForwardingTree;
import org.ciphersync.core.fs.LocalFileTree;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.settings.SyncSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory on real temporary trees. */
class InventoryTest {
    /** Old enough to be outside the racy window, so fingerprints are cached. */
    static final long OLD = 1_600_000_000_000_000_000L;
    static final SyncSettings CHECKSUM = SyncSettings.defaults().withAnalysis(SyncSettings.AnalysisMode.CHECKSUM);
    static final SyncSettings SMART = SyncSettings.defaults();

    @TempDir
    Path tmp;
    Path a;
    Path b;
    Path cacheDir;

    @BeforeEach
    void setUp() throws IOException {
        a = Files.createDirectories(tmp.resolve("a"));
        b = Files.createDirectories(tmp.resolve("b"));
        cacheDir = tmp.resolve("cache");
    }

    static Path write(Path root, String rel, byte[] content, long mtimeNanos) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        Files.setLastModifiedTime(p, FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS));
        return p;
    }

    static byte[] random(long seed, int n) {
        byte[] d = new byte[n];
        new SplitMix64(seed).nextBytes(d);
        return d;
    }

    static InventoryResult scan(SyncSettings s, InventoryCache cache, FileTree... trees) throws IOException {
        List<DataSource> sources = new ArrayList<>();
        char id = 'A';
        for (FileTree t : trees) {
            sources.add(DataSource.directory(String.valueOf(id++), t));
        }
        return new Inventory(new Inventory.Options(ChunkerParams.SYNC, 2)).run(sources, s, cache, InventoryListener.NOOP);
    }

    static Map<String, InventoryEntry> byPath(NodeInventory n) {
        return n.entries().stream().collect(Collectors.toMap(e -> e.path().value(), Function.identity()));
    }

    static Map<String, Skipped.Reason> skipped(NodeInventory n) {
        return n.skipped().stream().collect(Collectors.toMap(Skipped::path, Skipped::reason));
    }

    @Test
    void checksumMode_fingerprintsEveryFile_exactlyAsTheFingerprinterDoes() throws IOException {
        write(a, "big.bin", random(1, 3_000_000), OLD);
        write(a, "d/small.txt", "hello".getBytes(), OLD);
        write(a, "d/e/empty", new byte[0], OLD);
        InventoryResult r = scan(CHECKSUM, InventoryCache.NONE, new LocalFileTree(a));
        NodeInventory n = r.nodes().get(0);
        assertThat(n.entries()).extracting(e -> e.path().value())
                .containsExactly("big.bin", "d", "d/e", "d/e/empty", "d/small.txt");
        for (InventoryEntry e : n.entries()) {
            if (e.isFile()) {
                try (FileChannel ch = FileChannel.open(a.resolve(e.path().value()))) {
                    assertThat(e.fingerprint()).as(e.path().value())
                            .isEqualTo(Fingerprinter.fingerprint(ch, ChunkerParams.SYNC));
                }
                assertThat(e.mtimeNanos()).isEqualTo(OLD);
            } else {
                assertThat(e.fingerprint()).isNull();
            }
        }
        assertThat(byPath(n).get("big.bin").fingerprint().chunkCount()).isGreaterThan(10);
        assertThat(r.stats().files()).isEqualTo(3);
        assertThat(r.stats().directories()).isEqualTo(2);
        assertThat(r.stats().bytes()).isEqualTo(3_000_005);
        assertThat(r.stats().hashedFiles()).isEqualTo(3);
        assertThat(r.stats().hashedBytes()).isEqualTo(3_000_005);
    }

    @Test
    void smartMode_fingerprintsOnlyFilesWhoseSizeOrDateDifferBetweenNodes() throws IOException {
        write(a, "same.txt", "same".getBytes(), OLD);
        write(b, "same.txt", "SAME".getBytes(), OLD); // equal size and date: trusted as equal, not read
        write(a, "newer.txt", "v1".getBytes(), OLD);
        write(b, "newer.txt", "v2".getBytes(), OLD + 1_000_000_000L);
        write(a, "grown.txt", "short".getBytes(), OLD);
        write(b, "grown.txt", "longer".getBytes(), OLD);
        write(a, "only-a.txt", "x".getBytes(), OLD);
        InventoryResult r = scan(SMART, InventoryCache.NONE, new LocalFileTree(a), new LocalFileTree(b));
        Map<String, InventoryEntry> na = byPath(r.nodes().get(0));
        Map<String, InventoryEntry> nb = byPath(r.nodes().get(1));
        assertThat(na.get("same.txt").fingerprint()).isNull();
        assertThat(nb.get("same.txt").fingerprint()).isNull();
        assertThat(na.get("only-a.txt").fingerprint()).isNull();
        assertThat(na.get("newer.txt").fingerprint()).isNotNull();
        assertThat(nb.get("newer.txt").fingerprint()).isNotNull();
        assertThat(na.get("grown.txt").fingerprint()).isNotNull();
        assertThat(nb.get("grown.txt").fingerprint()).isNotNull();
        assertThat(r.stats().hashedFiles()).isEqualTo(4);
    }

    @Test
    void smartMode_pairsByNameWhenMatchingByName() throws IOException {
        write(a, "x/photo.jpg", "one".getBytes(), OLD);
        write(b, "y/z/photo.jpg", "two!".getBytes(), OLD);
        InventoryResult r = scan(SMART.withMatching(SyncSettings.Matching.NAME), InventoryCache.NONE,
                new LocalFileTree(a), new LocalFileTree(b));
        assertThat(byPath(r.nodes().get(0)).get("x/photo.jpg").fingerprint()).isNotNull();
        assertThat(byPath(r.nodes().get(1)).get("y/z/photo.jpg").fingerprint()).isNotNull();
    }

    @Test
    void secondScanWithWarmCache_readsNoFileContent() throws IOException {
        for (int i = 0; i < 30; i++) {
            write(a, "d" + (i % 3) + "/f" + i, random(i, 1000 + i * 5000), OLD);
        }
        try (FileInventoryCache cache = new FileInventoryCache(cacheDir)) {
            ForwardingTree first = new ForwardingTree(new LocalFileTree(a));
            InventoryResult r1 = scan(CHECKSUM, cache, first);
            assertThat(first.opens.get()).isEqualTo(30);
            assertThat(r1.stats().cacheHits()).isZero();

            ForwardingTree second = new ForwardingTree(new LocalFileTree(a));
            InventoryResult r2 = scan(CHECKSUM, cache, second);
            assertThat(second.opens.get()).isZero();
            assertThat(second.bytesRead.get()).isZero();
            assertThat(r2.stats().hashedFiles()).isZero();
            assertThat(r2.stats().cacheHits()).isEqualTo(30);
            assertThat(r2.nodes()).isEqualTo(r1.nodes());
        }
        // And across processes: a new cache object on the same directory.
        try (FileInventoryCache cache = new FileInventoryCache(cacheDir)) {
            ForwardingTree third = new ForwardingTree(new LocalFileTree(a));
            InventoryResult r3 = scan(CHECKSUM, cache, third);
            assertThat(third.opens.get()).isZero();
            assertThat(r3.stats().cacheHits()).isEqualTo(30);
        }
    }

    @Test
    void cachedFingerprint_isDiscardedWhenSizeMtimeOrInodeChange() throws IOException {
        write(a, "mtime", "aaaa".getBytes(), OLD);
        write(a, "size", "aaaa".getBytes(), OLD);
        write(a, "inode", "aaaa".getBytes(), OLD);
        write(a, "kept", "aaaa".getBytes(), OLD);
        try (FileInventoryCache cache = new FileInventoryCache(cacheDir)) {
            scan(CHECKSUM, cache, new LocalFileTree(a));
            write(a, "mtime", "bbbb".getBytes(), OLD + 1);
            write(a, "size", "bbbbb".getBytes(), OLD);
            Path tmpFile = write(a, "inode.new", "cccc".getBytes(), OLD);
            Files.move(tmpFile, a.resolve("inode"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ForwardingTree t = new ForwardingTree(new LocalFileTree(a));
            InventoryResult r = scan(CHECKSUM, cache, t);
            assertThat(t.opens.get()).isEqualTo(3);
            assertThat(r.stats().cacheHits()).isEqualTo(1);
            Map<String, InventoryEntry> n = byPath(r.nodes().get(0));
            assertThat(n.get("inode").fingerprint()).isEqualTo(Fingerprinter.ofBytes("cccc".getBytes(), ChunkerParams.SYNC));
            assertThat(n.get("mtime").fingerprint()).isEqualTo(Fingerprinter.ofBytes("bbbb".getBytes(), ChunkerParams.SYNC));
        }
    }

    @Test
    void recentlyModifiedFiles_areNotCached_becauseAnEditInTheSameTickWouldGoUnnoticed() throws IOException {
        write(a, "fresh", "x".getBytes(), System.currentTimeMillis() * 1_000_000L);
        try (FileInventoryCache cache = new FileInventoryCache(cacheDir)) {
            scan(CHECKSUM, cache, new LocalFileTree(a));
            ForwardingTree t = new ForwardingTree(new LocalFileTree(a));
            scan(CHECKSUM, cache, t);
            assertThat(t.opens.get()).isEqualTo(1);
        }
    }

    @Test
    void smartMode_attachesValidCachedFingerprintsEvenWhereNoneIsNeeded() throws IOException {
        write(a, "f", "content".getBytes(), OLD);
        try (FileInventoryCache cache = new FileInventoryCache(cacheDir)) {
            scan(CHECKSUM, cache, new LocalFileTree(a));
            InventoryResult r = scan(SMART, cache, new LocalFileTree(a));
            assertThat(byPath(r.nodes().get(0)).get("f").fingerprint()).isNotNull();
            assertThat(r.stats().hashedFiles()).isZero();
        }
    }

    @Test
    void symlinksFifosAndLoops_areSkippedWithTheirReason() throws Exception {
        write(a, "real.txt", "x".getBytes(), OLD);
        Files.createSymbolicLink(a.resolve("link"), a.resolve("real.txt"));
        Files.createSymbolicLink(a.resolve("loop"), a.resolve("loop"));
        Files.createDirectories(a.resolve("d"));
        Files.createSymbolicLink(a.resolve("d/up"), Path.of(".."));
        boolean fifo = mkfifo(a.resolve("pipe"));
        NodeInventory n = scan(CHECKSUM, InventoryCache.NONE, new LocalFileTree(a)).nodes().get(0);
        assertThat(byPath(n)).containsOnlyKeys("real.txt", "d");
        Map<String, Skipped.Reason> s = skipped(n);
        assertThat(s).containsEntry("link", Skipped.Reason.SYMLINK).containsEntry("loop", Skipped.Reason.SYMLINK)
                .containsEntry("d/up", Skipped.Reason.SYMLINK);
        if (fifo) {
            assertThat(s).containsEntry("pipe", Skipped.Reason.SPECIAL_FILE);
        }
    }

    @Test
    void invalidNames_areSkippedAsInvalid() throws IOException {
        write(a, "back\\slash", "x".getBytes(), OLD);
        write(a, "tab\there", "x".getBytes(), OLD);
        NodeInventory n = scan(CHECKSUM, InventoryCache.NONE, new LocalFileTree(a)).nodes().get(0);
        assertThat(n.entries()).isEmpty();
        assertThat(skipped(n)).containsEntry("back\\slash", Skipped.Reason.INVALID_NAME)
                .containsEntry("tab\there", Skipped.Reason.INVALID_NAME);
    }

    @Test
    void namesThatAreNotValidUtf8_areReportedAsInvalid_notSilentlyLost() throws Exception {
        write(a, "fine.txt", "x".getBytes(), OLD);
        // A name made of bytes that are not UTF-8 (created through the shell, as Java cannot).
        Process p = new ProcessBuilder("sh", "-c", "touch \"$(printf 'bad\\377\\376.txt')\"")
                .directory(a.toFile()).redirectErrorStream(true).start();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "cannot create a non-UTF-8 name here");
        NodeInventory n = scan(CHECKSUM, InventoryCache.NONE, new LocalFileTree(a)).nodes().get(0);
        assertThat(byPath(n)).containsOnlyKeys("fine.txt");
        assertThat(n.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(Skipped.Reason.INVALID_NAME);
            assertThat(s.detail()).contains("UTF-8");
        });
    }

    @Test
    void pathsLongerThanTheLimit_areSkippedAsTooLong() throws IOException {
        // Linux refuses absolute paths over 4096 bytes, so the deep entry is simulated.
        write(a, "d/ok", "x".getBytes(), OLD);
        ForwardingTree deepTree = new DeepTree(new LocalFileTree(a));
        NodeInventory n = scan(CHECKSUM, InventoryCache.NONE, deepTree).nodes().get(0);
        assertThat(n.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(Skipped.Reason.PATH_TOO_LONG);
            assertThat(s.path().length()).isGreaterThan(RelPath.MAX_LENGTH);
        });
        assertThat(byPath(n)).containsKey("d/ok");
    }

    /** Presents an endless chain of 250-character directory names below "d". */
    static final class DeepTree extends ForwardingTree {
        DeepTree(FileTree delegate) {
            super(delegate);
        }

        @Override
        public List<DirEntry> list(RelPath dir) throws IOException {
            if (dir.value().startsWith("d/")) {
                return List.of(new DirEntry("z".repeat(250), new FileAttrs(EntryType.DIRECTORY, 0, OLD, 0755, 7)));
            }
            List<DirEntry> l = new ArrayList<>(super.list(dir));
            if (dir.value().equals("d")) {
                l.add(new DirEntry("z".repeat(250), new FileAttrs(EntryType.DIRECTORY, 0, OLD, 0755, 7)));
            }
            return l;
        }
    }

    @Test
    void unreadableFile_isSkippedAndLeftOut_evenForRoot() throws IOException {
        write(a, "ok", "x".getBytes(), OLD);
        write(a, "secret", "x".getBytes(), OLD);
        ForwardingTree t = new ForwardingTree(new LocalFileTree(a)) {
            @Override
            public SeekableByteChannel openRead(RelPath file) throws IOException {
                if (file.value().equals("secret")) {
                    throw new AccessDeniedException("secret");
                }
                return super.openRead(file);
            }
        };
        InventoryResult r = scan(CHECKSUM, InventoryCache.NONE, t);
        NodeInventory n = r.nodes().get(0);
        assertThat(byPath(n)).containsOnlyKeys("ok");
        assertThat(r.stats().hashedFiles()).isEqualTo(1);
        assertThat(r.stats().skipped()).isEqualTo(1);
        assertThat(n.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(Skipped.Reason.UNREADABLE);
            assertThat(s.detail()).contains("AccessDenied");
        });
    }

    @Test
    void chmod000_isUnreadable_whenNotRoot() throws IOException {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root reads mode-000 files; covered by the test above");
        Path p = write(a, "secret", "x".getBytes(), OLD);
        Files.setPosixFilePermissions(p, java.util.Set.of());
        NodeInventory n = scan(CHECKSUM, InventoryCache.NONE, new LocalFileTree(a)).nodes().get(0);
        assertThat(skipped(n)).containsEntry("secret", Skipped.Reason.UNREADABLE);
    }

    @Test
    void unreadableDirectory_isSkipped_andNotReportedAsAnEmptyDirectory() throws IOException {
        write(a, "open/f", "x".getBytes(), OLD);
        write(a, "closed/g", "x".getBytes(), OLD);
        ForwardingTree t = new ForwardingTree(new LocalFileTree(a)) {
            @Override
            public List<DirEntry> list(RelPath dir) throws IOException {
                if (dir.value().equals("closed")) {
                    throw new AccessDeniedException("closed");
                }
                return super.list(dir);
            }
        };
        NodeInventory n = scan(CHECKSUM, InventoryCache.NONE, t).nodes().get(0);
        assertThat(byPath(n)).containsOnlyKeys("open", "open/f");
        assertThat(skipped(n)).containsExactly(Map.entry("closed", Skipped.Reason.UNREADABLE));
    }

    @Test
    void unlistableRoot_failsTheRunWithAMessageForTheUser() throws IOException {
        ForwardingTree t = new ForwardingTree(new LocalFileTree(a)) {
            @Override
            public List<DirEntry> list(RelPath dir) throws IOException {
                throw new AccessDeniedException(a.toString());
            }
        };
        assertThatThrownBy(() -> scan(CHECKSUM, InventoryCache.NONE, t))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot list the root of data source A")
                .hasMessageContaining("readable");
    }

    @Test
    void fileChangingOnce_isReadAgain_andGetsItsNewAttributes() throws IOException {
        write(a, "log", "12345".getBytes(), OLD);
        AtomicInteger reads = new AtomicInteger();
        ForwardingTree t = new ForwardingTree(new LocalFileTree(a)) {
            @Override
            protected void afterRead(RelPath file) throws IOException {
                if (reads.incrementAndGet() == 1) {
                    write(a, "log", "123456".getBytes(), OLD + 5);
                }
            }
        };
        NodeInventory n = scan(CHECKSUM, InventoryCache.NONE, t).nodes().get(0);
        InventoryEntry e = byPath(n).get("log");
        assertThat(e.size()).isEqualTo(6);
        assertThat(e.mtimeNanos()).isEqualTo(OLD + 5);
        assertThat(e.fingerprint()).isEqualTo(Fingerprinter.ofBytes("123456".getBytes(), ChunkerParams.SYNC));
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void fileThatKeepsChanging_isSkippedAsChangedDuringScan() throws IOException {
        write(a, "log", "1".getBytes(), OLD);
        AtomicInteger reads = new AtomicInteger();
        ForwardingTree t = new ForwardingTree(new LocalFileTree(a)) {
            @Override
            protected void afterRead(RelPath file) throws IOException {
                int k = reads.incrementAndGet();
                write(a, "log", "1".repeat(k + 1).getBytes(), OLD + k);
            }
        };
        NodeInventory n = scan(CHECKSUM, InventoryCache.NONE, t).nodes().get(0);
        assertThat(n.entries()).isEmpty();
        assertThat(skipped(n)).containsExactly(Map.entry("log", Skipped.Reason.CHANGED_DURING_SCAN));
    }

    @Test
    void fileDeletedBeforeItIsRead_isReportedAsChangedDuringScan() throws IOException {
        write(a, "gone", "1".getBytes(), OLD);
        ForwardingTree t = new ForwardingTree(new LocalFileTree(a)) {
            @Override
            public SeekableByteChannel openRead(RelPath file) throws IOException {
                Files.deleteIfExists(a.resolve(file.value()));
                return super.openRead(file);
            }
        };
        NodeInventory n = scan(CHECKSUM, InventoryCache.NONE, t).nodes().get(0);
        assertThat(skipped(n)).containsExactly(Map.entry("gone", Skipped.Reason.CHANGED_DURING_SCAN));
    }

    @Test
    void namesDifferingOnlyByCaseOrNormalization_collideOnACaseInsensitiveTree() throws IOException {
        write(a, "Readme.md", "1".getBytes(), OLD);
        write(a, "README.md", "2".getBytes(), OLD);
        write(a, "caf\u00e9", "3".getBytes(), OLD);
        write(a, "cafe\u0301", "4".getBytes(), OLD);
        write(a, "other", "5".getBytes(), OLD);
        // The same Linux folder seen as case-insensitive (as a Windows or macOS peer would).
        NodeInventory n = scan(CHECKSUM, InventoryCache.NONE, new LocalFileTree(a, false)).nodes().get(0);
        assertThat(byPath(n)).containsOnlyKeys("README.md", "cafe\u0301", "other");
        assertThat(skipped(n)).containsOnlyKeys("Readme.md", "caf\u00e9")
                .containsValues(Skipped.Reason.NAME_COLLISION);
    }

    @Test
    void caseSensitiveTree_keepsBothNames() throws IOException {
        write(a, "Readme.md", "1".getBytes(), OLD);
        write(a, "README.md", "2".getBytes(), OLD);
        NodeInventory n = scan(CHECKSUM.withCaseSensitivity(SyncSettings.CaseSensitivity.SENSITIVE), InventoryCache.NONE,
                new LocalFileTree(a)).nodes().get(0);
        assertThat(byPath(n)).containsOnlyKeys("Readme.md", "README.md");
        assertThat(n.skipped()).isEmpty();
    }

    @Test
    void stateFolderSystemFilesAndExcludedDirectories_areNeverListed() throws IOException {
        write(a, ".ciphersync/state.db", "s".getBytes(), OLD);
        write(a, "sub/.ciphersync/kept", "k".getBytes(), OLD);
        write(a, ".DS_Store", "x".getBytes(), OLD);
        write(a, "photos/Thumbs.db", "x".getBytes(), OLD);
        write(a, "node_modules/lib/x.js", "x".getBytes(), OLD);
        write(a, "keep.txt", "x".getBytes(), OLD);
        write(a, ".csignore", "# build output\nnode_modules/\n*.tmp\n".getBytes(), OLD);
        write(a, "t/a.tmp", "x".getBytes(), OLD);
        ForwardingTree t = new ForwardingTree(new LocalFileTree(a));
        NodeInventory n = scan(CHECKSUM, InventoryCache.NONE, t).nodes().get(0);
        assertThat(byPath(n)).containsOnlyKeys(".csignore", "keep.txt", "photos", "sub", "sub/.ciphersync",
                "sub/.ciphersync/kept", "t");
        assertThat(n.skipped()).isEmpty();
        // root, photos, sub, sub/.ciphersync, t: excluded node_modules and .ciphersync were not listed
        assertThat(t.lists.get()).isEqualTo(5);
    }

    @Test
    void includeGlobs_keepMatchingFiles_andOnlyTheDirectoriesAroundThem() throws IOException {
        write(a, "x/y/photo.jpg", "x".getBytes(), OLD);
        write(a, "x/notes.txt", "x".getBytes(), OLD);
        write(a, "empty/readme.txt", "x".getBytes(), OLD);
        NodeInventory n = scan(CHECKSUM.withIncludeGlobs(List.of("*.jpg")), InventoryCache.NONE, new LocalFileTree(a))
                .nodes().get(0);
        assertThat(byPath(n)).containsOnlyKeys("x", "x/y", "x/y/photo.jpg");
    }

    @Test
    void itemsFilesOnly_reportsNoDirectories() throws IOException {
        write(a, "x/f", "x".getBytes(), OLD);
        NodeInventory n = scan(CHECKSUM.withItems(SyncSettings.ItemKinds.FILES), InventoryCache.NONE, new LocalFileTree(a))
                .nodes().get(0);
        assertThat(byPath(n)).containsOnlyKeys("x/f");
    }

    @Test
    void malformedIgnoreFile_failsTheRunNamingTheLine() throws IOException {
        write(a, ".csignore", "ok\n[broken\n".getBytes(), OLD);
        assertThatThrownBy(() -> scan(CHECKSUM, InventoryCache.NONE, new LocalFileTree(a)))
                .hasMessageContaining("ignore file line 2");
    }

    @Test
    void singleFileSource_inventoriesJustThatFile() throws IOException {
        write(a, "d/one.bin", random(5, 100_000), OLD);
        write(a, "d/other.bin", "x".getBytes(), OLD);
        InventoryResult r = new Inventory(new Inventory.Options(ChunkerParams.SYNC, 1)).run(
                List.of(new DataSource("A", new LocalFileTree(a), RelPath.of("d/one.bin"))), CHECKSUM,
                InventoryCache.NONE, InventoryListener.NOOP);
        assertThat(r.nodes().get(0).entries()).singleElement().satisfies(e -> {
            assertThat(e.path().value()).isEqualTo("d/one.bin");
            assertThat(e.fingerprint()).isEqualTo(Fingerprinter.ofBytes(random(5, 100_000), ChunkerParams.SYNC));
        });
    }

    @Test
    void listener_seesEntriesHashingAndSkips() throws IOException {
        write(a, "f1", "x".getBytes(), OLD);
        write(a, "f2", "yy".getBytes(), OLD);
        Files.createSymbolicLink(a.resolve("l"), a.resolve("f1"));
        AtomicInteger hashed = new AtomicInteger();
        AtomicInteger skips = new AtomicInteger();
        long[] started = new long[2];
        InventoryListener l = new InventoryListener() {
            @Override
            public void hashingStarted(long files, long bytes) {
                started[0] = files;
                started[1] = bytes;
            }

            @Override
            public void fileHashed(String nodeId, RelPath path, long bytes) {
                hashed.incrementAndGet();
            }

            @Override
            public void skipped(String nodeId, Skipped s) {
                skips.incrementAndGet();
            }
        };
        Inventory.scan(List.of(DataSource.directory("A", new LocalFileTree(a))), CHECKSUM, InventoryCache.NONE, l);
        assertThat(started).containsExactly(2, 3);
        assertThat(hashed.get()).isEqualTo(2);
        assertThat(skips.get()).isEqualTo(1);
    }

    static boolean mkfifo(Path p) {
        try {
            Process pr = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
            return pr.waitFor(10, TimeUnit.SECONDS) && pr.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
