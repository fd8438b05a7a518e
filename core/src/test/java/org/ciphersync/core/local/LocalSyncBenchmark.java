package org.ciphersync.core.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Manual benchmark (not a test): mirror of 20,000 files of 8 KiB in 100 folders into an empty
 * folder, the workload the brief compares with {@code rsync -a} + {@code sync} (≈ 9.8 s on the
 * reference machine). Usage: {@code java -cp … LocalSyncBenchmark <work dir> [threads]}.
 */
public final class LocalSyncBenchmark {
    private LocalSyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path a = Files.createDirectories(work.resolve("a"));
        Path b = Files.createDirectories(work.resolve("b"));
        Random rnd = new Random(42);
        byte[] buf = new byte[8192];
        long t0 = System.nanoTime();
        for (int d = 0; d < 100; d++) {
            Path dir = Files.createDirectories(a.resolve("dir" + d));
            for (int f = 0; f < 200; f++) {
                rnd.nextBytes(buf);
                Files.write(dir.resolve("file" + f + ".bin"), buf);
            }
        }
        System.out.printf("created source in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        LocalSyncOptions o = LocalSyncOptions.defaults(SyncMode.MIRROR).withThreads(threads)
                .withCacheDir(work.resolve("cache"));
        long t1 = System.nanoTime();
        LocalSyncReport r = LocalSync.run(List.of(a, b), o, SyncListener.NOOP);
        long t2 = System.nanoTime();
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        long t3 = System.nanoTime();
        System.out.printf("mirror: %d actions, %d problems, %.1f MB in %.2f s (+ sync %.2f s); phases %s%n",
                r.plan().actions().size(), r.problems().size(), r.apply().bytesWritten() / 1e6, (t2 - t1) / 1e9,
                (t3 - t2) / 1e9, r.durations());
        long t4 = System.nanoTime();
        LocalSyncReport again = LocalSync.run(List.of(a, b), o, SyncListener.NOOP);
        System.out.printf("second run: %d actions in %.2f s%n", again.plan().actions().size(),
                (System.nanoTime() - t4) / 1e9);
    }
}
