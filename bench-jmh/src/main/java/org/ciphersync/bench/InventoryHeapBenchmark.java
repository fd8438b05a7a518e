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
import org.ciphersync.core.inventory.InventoryListener;
import org.ciphersync.core.inventory.InventoryResult;
import org.ciphersync.core.inventory.FileInventoryCache;
import org.ciphersync.core.settings.SyncSettings;

/**
 * Not a JMH benchmark but a measurement: heap retained by the inventory of N small files
 * (default 200,000 in 400 folders, 1–4 KiB each, checksum mode so each has a fingerprint),
 * plus the time of a first scan and of a warm-cache rescan. Run with
 * {@code java -Xmx1g -cp … org.ciphersync.bench.InventoryHeapBenchmark [files]}.
 */
public final class InventoryHeapBenchmark {
    private InventoryHeapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "ciphersync-bench-heap-" + files);
        create(root, files);
        Path cacheDir = Files.createTempDirectory("ciphersync-bench-heap-cache");
        Inventory inv = new Inventory(new Inventory.Options(ChunkerParams.SYNC, Runtime.getRuntime().availableProcessors()));
        List<DataSource> src = List.of(DataSource.directory("A", new LocalFileTree(root)));
        SyncSettings s = SyncSettings.defaults().withAnalysis(SyncSettings.AnalysisMode.CHECKSUM);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long before = usedAfterGc();
        InventoryResult r;
        try (FileInventoryCache cache = new FileInventoryCache(cacheDir)) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            r = inv.run(src, s, cache, InventoryListener.NOOP);
            long t1 = System.nanoTime();
            System.out.printf("first scan: %d entries, %.2f s wall, %.2f s CPU, hashed %d files (load %.1f)%n",
                    r.nodes().get(0).entries().size(), (t1 - t0) / 1e9, (os.getProcessCpuTime() - c0) / 1e9,
                    r.stats().hashedFiles(), os.getSystemLoadAverage());
        }
        long after = usedAfterGc();
        long perEntry = (after - before) / r.nodes().get(0).entries().size();
        System.out.printf("retained heap: %.1f MiB for %d entries = %d bytes/entry -> %.0f MiB per 1,000,000%n",
                (after - before) / 1048576.0, r.nodes().get(0).entries().size(), perEntry, perEntry * 1e6 / 1048576.0);
        r = null;
        try (FileInventoryCache cache = new FileInventoryCache(cacheDir)) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            InventoryResult r2 = inv.run(src, s, cache, InventoryListener.NOOP);
            long t1 = System.nanoTime();
            System.out.printf("warm-cache rescan (cache loaded from disk): %.2f s wall, %.2f s CPU, hashed %d files, %d cache hits%n",
                    (t1 - t0) / 1e9, (os.getProcessCpuTime() - c0) / 1e9, r2.stats().hashedFiles(), r2.stats().cacheHits());
            long c2 = os.getProcessCpuTime();
            long t2 = System.nanoTime();
            InventoryResult r3 = inv.run(src, s, cache, InventoryListener.NOOP);
            long t3 = System.nanoTime();
            System.out.printf("warm-cache rescan again: %.2f s wall, %.2f s CPU, hashed %d files (load %.1f)%n", (t3 - t2) / 1e9,
                    (os.getProcessCpuTime() - c2) / 1e9, r3.stats().hashedFiles(), os.getSystemLoadAverage());
            System.out.printf("peak-ish heap used now: %.1f MiB%n", usedAfterGc() / 1048576.0);
        }
        try (var st = Files.list(cacheDir)) {
            for (Path p : st.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(cacheDir);
    }

    static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static void create(Path root, int files) throws IOException {
        Path done = root.resolve(".complete");
        if (Files.exists(done)) {
            return;
        }
        SplitMix64 rng = new SplitMix64(11);
        byte[] buf = new byte[4096];
        int perDir = 500;
        for (int i = 0; i < files; i++) {
            Path dir = root.resolve("dir-" + (i / perDir));
            if (i % perDir == 0) {
                Files.createDirectories(dir);
            }
            rng.nextBytes(buf);
            int len = 1024 + (int) Long.remainderUnsigned(rng.nextLong(), 3072);
            Path p = dir.resolve("photo_" + i + "_IMG.jpg");
            Files.write(p, java.util.Arrays.copyOf(buf, len));
            Files.setLastModifiedTime(p, FileTime.from(1_600_000_000L, TimeUnit.SECONDS));
        }
        Files.setLastModifiedTime(Files.writeString(done, "ok"), FileTime.from(1_600_000_000L, TimeUnit.SECONDS));
    }
}
