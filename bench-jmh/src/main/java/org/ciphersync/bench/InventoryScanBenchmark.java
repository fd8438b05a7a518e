package org.ciphersync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.SplitMix64;
import org.ciphersync.core.fs.LocalFileTree;
import org.ciphersync.core.inventory.DataSource;
import org.ciphersync.core.inventory.Inventory;
import org.ciphersync.core.inventory.InventoryCache;
import org.ciphersync.core.inventory.InventoryListener;
import org.ciphersync.core.inventory.InventoryResult;
import org.ciphersync.core.inventory.FileInventoryCache;
import org.ciphersync.core.settings.SyncSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inventory of a 1 GiB tree in {@code /tmp} (24 files of 32 MiB and 4096 files of 64 KiB, random
 * content, so the page cache is warm after the first run) on all cores, checksum mode:
 * {@link #firstScan} reads and hashes everything, {@link #warmCacheRescan} finds every
 * fingerprint in the inventory cache file and reads no content. Throughput = 1024 MiB / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class InventoryScanBenchmark {
    static final Path TREE = Path.of(System.getProperty("java.io.tmpdir"), "ciphersync-bench-inventory");
    static final long OLD = 1_600_000_000_000_000_000L;
    static final SyncSettings CHECKSUM = SyncSettings.defaults().withAnalysis(SyncSettings.AnalysisMode.CHECKSUM);

    Path cacheDir;
    FileInventoryCache cache;
    List<DataSource> sources;
    Inventory inventory;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        createTree(TREE);
        sources = List.of(DataSource.directory("A", new LocalFileTree(TREE)));
        inventory = new Inventory(new Inventory.Options(ChunkerParams.SYNC, Runtime.getRuntime().availableProcessors()));
        cacheDir = Files.createTempDirectory("ciphersync-bench-cache");
        cache = new FileInventoryCache(cacheDir);
        inventory.run(sources, CHECKSUM, cache, InventoryListener.NOOP);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        cache.close();
        try (var s = Files.list(cacheDir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(cacheDir);
    }

    @Benchmark
    public InventoryResult firstScan() throws IOException {
        return inventory.run(sources, CHECKSUM, InventoryCache.NONE, InventoryListener.NOOP);
    }

    @Benchmark
    public InventoryResult warmCacheRescan() throws IOException {
        InventoryResult r = inventory.run(sources, CHECKSUM, cache, InventoryListener.NOOP);
        if (r.stats().hashedBytes() != 0) {
            throw new IllegalStateException("warm rescan read " + r.stats().hashedBytes() + " bytes");
        }
        return r;
    }

    /**
     * A plain timed run without JMH (usable while another JMH run holds the lock): three first
     * scans and three warm-cache rescans, printing GB/s.
     */
    public static void main(String[] args) throws Exception {
        InventoryScanBenchmark b = new InventoryScanBenchmark();
        b.setUp();
        try {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            for (int i = 0; i < 5; i++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                InventoryResult r = b.firstScan();
                double s = (System.nanoTime() - t0) / 1e9;
                double cpu = (os.getProcessCpuTime() - c0) / 1e9;
                System.out.printf("first scan: %.3f s wall, %.3f s CPU, %d files, %.0f MB/s wall, %.0f MB/s per CPU-second"
                        + " (hashed %d bytes, load %.1f)%n", s, cpu, r.stats().files(), r.stats().hashedBytes() / s / 1e6,
                        r.stats().hashedBytes() / cpu / 1e6, r.stats().hashedBytes(), os.getSystemLoadAverage());
            }
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                InventoryResult r = b.warmCacheRescan();
                System.out.printf("warm-cache rescan: %.3f s, %d cache hits, %d bytes read%n",
                        (System.nanoTime() - t0) / 1e9, r.stats().cacheHits(), r.stats().hashedBytes());
            }
        } finally {
            b.tearDown();
        }
    }

    /** Creates the 1 GiB tree once (kept between runs; delete the folder to rebuild). */
    static void createTree(Path root) throws IOException {
        Path done = root.resolve(".complete");
        if (Files.exists(done)) {
            return;
        }
        SplitMix64 rng = new SplitMix64(7);
        byte[] big = new byte[32 << 20];
        byte[] small = new byte[64 << 10];
        Files.createDirectories(root.resolve("big"));
        for (int i = 0; i < 24; i++) {
            rng.nextBytes(big);
            Path p = Files.write(root.resolve("big/file-" + i + ".bin"), big);
            Files.setLastModifiedTime(p, FileTime.from(OLD, TimeUnit.NANOSECONDS));
        }
        for (int d = 0; d < 64; d++) {
            Path dir = Files.createDirectories(root.resolve("small/d" + d));
            for (int i = 0; i < 64; i++) {
                rng.nextBytes(small);
                Path p = Files.write(dir.resolve("f" + i + ".dat"), small);
                Files.setLastModifiedTime(p, FileTime.from(OLD, TimeUnit.NANOSECONDS));
            }
        }
        Files.setLastModifiedTime(Files.writeString(done, "ok"), FileTime.from(OLD, TimeUnit.NANOSECONDS));
    }
}
