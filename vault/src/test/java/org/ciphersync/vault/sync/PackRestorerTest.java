package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.repo.VaultView;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.CountingBlobStore;
import org.ciphersync.vault.store.CountingBlobStore.Op;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores read every pack once and write each file exactly (shared chunks, empty files, files
 * across packs); a damaged blob or a missing pack fails exactly the files that need it, and leaves
 * no temporary file.
 */
class PackRestorerTest {
    @TempDir
    Path tmp;
    TestVault vault;
    TestVault.Computer a;
    final Map<String, byte[]> files = new TreeMap<>();

    @BeforeEach
    void setUp() throws IOException {
        vault = new TestVault(tmp.resolve("v"));
        a = vault.computer("alpha", "me").init();
        Random rnd = new Random(42);
        for (int i = 0; i < 40; i++) {
            byte[] b = new byte[100 + rnd.nextInt(20_000)];
            rnd.nextBytes(b);
            files.put("docs/d" + (i % 4) + "/f" + i + ".bin", b);
        }
        byte[] shared = new byte[30_000];
        rnd.nextBytes(shared);
        for (int i = 0; i < 5; i++) {
            files.put("copies/c" + i + ".bin", shared); // one blob, five files
        }
        files.put("docs/empty.txt", new byte[0]);
        byte[] big = new byte[40 << 20]; // more than two 16 MiB packs
        rnd.nextBytes(big);
        files.put("media/big.bin", big);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = a.home.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_700_000_000_000L + e.getKey().hashCode() % 100_000));
        }
        Files.setPosixFilePermissions(a.home.resolve("docs/d1/f1.bin"), PosixFilePermissions.fromString("rwxr-x---"));
        a.up("docs", "copies", "media");
        a.close();
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        a.close();
    }

    @Test
    void aFullRestore_readsEachPackOnce_andWritesEveryFileExactly() throws IOException {
        Path target = tmp.resolve("out");
        CountingBlobStore counted = new CountingBlobStore(vault.store());
        try (VaultSetup.Opened o = VaultSetup.open(counted, Password.of(TestVault.PASSWORD), a.dirs, a.user, Clock.systemUTC())) {
            Map<BlobName, Integer> trees = new java.util.HashMap<>();
            VaultView.load(o.repo(), TestVault.NS).index().values().forEach(e ->
                    trees.merge(e.pack(), e.kind() == org.ciphersync.vault.format.BlobKind.TREE ? 1 : 0, Integer::sum));
            counted.reset();
            Restore.Result r = Restore.run(o.repo(), TestVault.NS, "latest", p -> true, target);
            assertThat(r.failures()).isEmpty();
            Map<BlobName, Integer> reads = new java.util.HashMap<>();
            counted.calls(c -> c.op() == Op.LOAD && c.type() == BlobType.PACK).forEach(c -> reads.merge(c.name(), 1, Integer::sum));
            // each pack once for its content, plus the reads of the trees it holds (the view loads them first)
            assertThat(reads.keySet()).isEqualTo(trees.keySet());
            reads.forEach((pack, n) -> assertThat(n).as("reads of %s", pack).isLessThanOrEqualTo(1 + trees.get(pack)));
            assertThat(trees.values().stream().filter(t -> t == 0).count()).as("packs of content only").isPositive();
            trees.forEach((pack, t) -> {
                if (t == 0) {
                    assertThat(reads.get(pack)).as("reads of content pack %s", pack).isEqualTo(1);
                }
            });
        }
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path original = a.home.resolve(e.getKey());
            Path restored = target.resolve("home").resolve(e.getKey());
            assertThat(Files.readAllBytes(restored)).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(Files.getLastModifiedTime(restored)).as(e.getKey()).isEqualTo(Files.getLastModifiedTime(original));
            assertThat(Files.getPosixFilePermissions(restored)).as(e.getKey()).isEqualTo(Files.getPosixFilePermissions(original));
        }
        assertThat(temporaryFiles(target)).isEmpty();
    }

    @Test
    void aRestoreInBatchesOfAFewFiles_writesEveryFileExactly() throws IOException {
        Path target = tmp.resolve("out");
        Restore.Result r = Restore.run(a.opened().repo(), TestVault.NS, "latest", p -> true, target, 7);
        assertThat(r.failures()).isEmpty();
        assertThat(r.restored()).contains("~/docs/empty.txt", "~/media/big.bin", "~/copies/c4.bin");
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path restored = target.resolve("home").resolve(e.getKey());
            assertThat(Files.readAllBytes(restored)).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(Files.getLastModifiedTime(restored)).as(e.getKey())
                    .isEqualTo(Files.getLastModifiedTime(a.home.resolve(e.getKey())));
        }
        assertThat(temporaryFiles(target)).isEmpty();
    }

    @Test
    void aPackOfThousandsOfTinyFiles_keepsOnlyAFewOfThemOpenAtOnce() throws IOException {
        // A pack of tiny files holds thousands of them; keeping each open until the whole pack was
        // written exhausted the file descriptors of a million-file restore.
        TestVault many = new TestVault(tmp.resolve("many"));
        TestVault.Computer c = many.computer("beta", "me").init();
        int count = 3_000;
        for (int i = 0; i < count; i++) {
            c.write("tiny/t" + i + ".txt", "tiny file " + i + "\n");
        }
        c.up("tiny");
        Path out = Files.createDirectories(tmp.resolve("many-out"));
        java.util.concurrent.atomic.AtomicInteger prepared = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostOpen = new java.util.concurrent.atomic.AtomicInteger();
        List<String> failed = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        List<PackRestorer.Target> targets = new java.util.ArrayList<>();
        List<org.ciphersync.vault.format.BlobCodec> codecs = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try {
            VaultSetup.Opened o = c.opened();
            VaultView view = VaultView.load(o.repo(), TestVault.NS);
            view.mergedNow().forEach((path, res) -> {
                FileVersion v = res.winner();
                if (v.isDeleted() || v.isFolder()) {
                    return;
                }
                Path dest = out.resolve(v.path().rel().value().replace('/', '_'));
                targets.add(new PackRestorer.Target() {
                    @Override
                    public FileVersion version() {
                        return v;
                    }

                    @Override
                    public Path prepare() throws IOException {
                        if (prepared.incrementAndGet() % 100 == 0) {
                            mostOpen.accumulateAndGet(openFilesUnder(out), Math::max);
                        }
                        return dest.resolveSibling(dest.getFileName() + ".tmp");
                    }

                    @Override
                    public void complete(Path tmpFile) throws IOException {
                        Files.move(tmpFile, dest);
                    }

                    @Override
                    public void failed(Exception e) {
                        failed.add(v.path() + ": " + e.getMessage());
                    }
                });
            });
            assertThat(targets).hasSize(count);
            PackRestorer.run(view, targets, () -> {
                org.ciphersync.vault.format.BlobCodec codec = o.repo().codec(TestVault.NS);
                codecs.add(codec);
                return codec;
            }, false);
        } finally {
            codecs.forEach(org.ciphersync.vault.format.BlobCodec::close);
            c.close();
        }
        assertThat(failed).isEmpty();
        for (int i = 0; i < count; i += 97) {
            assertThat(Files.readString(out.resolve("tiny_t" + i + ".txt"))).isEqualTo("tiny file " + i + "\n");
        }
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.count()).isEqualTo(count);
        }
        // at most the finishers' queue and threads, plus the files being written
        assertThat(mostOpen.get()).as("files open at once while %d were prepared", count).isLessThan(200);
    }

    /** How many of this process's open files are under {@code folder} (Linux: /proc/self/fd). */
    private static int openFilesUnder(Path folder) {
        int n = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).startsWith(folder)) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return n;
    }

    @Test
    void aDamagedSharedBlob_failsTheFilesThatNeedIt_andOnlyThose() throws IOException {
        Set<String> needing = new HashSet<>();
        {
            VaultSetup.Opened o = a.opened();
            VaultView view = VaultView.load(o.repo(), TestVault.NS);
            FileVersion copy = view.mergedNow().get(VaultPath.parse("~/copies/c0.bin")).winner();
            IndexEntry e = view.chunk(copy.chunks().get(0), copy.path());
            flip(e.pack(), e.offset() + e.length() / 2);
            view.mergedNow().forEach((p, res) -> {
                if (res.winner().chunks().contains(e.id())) {
                    needing.add(p.toString());
                }
            });
        }
        assertThat(needing).hasSize(5);
        Path target = tmp.resolve("out");
        Restore.Result r;
        {
            VaultSetup.Opened o = a.opened();
            r = Restore.run(o.repo(), TestVault.NS, "latest", p -> true, target);
        }
        assertThat(r.failures()).extracting(ItemFailure::path).containsExactlyInAnyOrderElementsOf(needing);
        assertThat(r.failures()).allSatisfy(f -> {
            assertThat(f.integrity()).isTrue();
            assertThat(f.message()).contains("failed authentication");
        });
        assertRestoredExceptFailed(target, r);
    }

    @Test
    void aMissingPackOfABigFile_failsThatFile_andRemovesItsPartialFile() throws IOException {
        String failed;
        {
            VaultSetup.Opened o = a.opened();
            VaultView view = VaultView.load(o.repo(), TestVault.NS);
            FileVersion big = view.mergedNow().get(VaultPath.parse("~/media/big.bin")).winner();
            Set<BlobName> withTrees = new HashSet<>();
            view.index().values().stream().filter(e -> e.kind() == org.ciphersync.vault.format.BlobKind.TREE)
                    .forEach(e -> withTrees.add(e.pack()));
            IndexEntry first = view.chunk(big.chunks().get(0), big.path());
            // a later pack of the big file that holds no tree (the restore must still read its trees)
            IndexEntry later = big.chunks().stream().map(id -> view.chunk(id, big.path()))
                    .filter(e -> !e.pack().equals(first.pack()) && !withTrees.contains(e.pack())).findFirst().orElseThrow();
            Files.delete(packFile(later.pack()));
            failed = big.path().toString();
        }
        Path target = tmp.resolve("out");
        Restore.Result r;
        {
            VaultSetup.Opened o = a.opened();
            r = Restore.run(o.repo(), TestVault.NS, "latest", p -> true, target);
        }
        assertThat(r.failures()).extracting(ItemFailure::path).contains(failed);
        assertThat(r.failures()).allSatisfy(f -> assertThat(f.message()).contains("missing from the vault"));
        assertRestoredExceptFailed(target, r);
    }

    private void assertRestoredExceptFailed(Path target, Restore.Result r) throws IOException {
        Set<String> failed = new HashSet<>();
        r.failures().forEach(f -> failed.add(f.path()));
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path restored = target.resolve("home").resolve(e.getKey());
            if (failed.contains("~/" + e.getKey())) {
                assertThat(restored).as(e.getKey()).doesNotExist();
            } else {
                assertThat(Files.readAllBytes(restored)).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
        assertThat(temporaryFiles(target)).isEmpty();
    }

    private Path packFile(BlobName pack) throws IOException {
        try (Stream<Path> s = Files.walk(vault.vaultDir)) {
            return s.filter(p -> p.getFileName().toString().equals(pack.name())).findFirst().orElseThrow();
        }
    }

    private void flip(BlobName pack, long at) throws IOException {
        Path p = packFile(pack);
        byte[] b = Files.readAllBytes(p);
        b[(int) at] ^= 0x10;
        Files.write(p, b);
    }

    private static List<Path> temporaryFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().contains(".cs-tmp")).toList();
        }
    }
}
