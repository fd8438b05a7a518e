package org.ciphersync.vault.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.check.CheckReport;
import org.ciphersync.vault.check.VaultCheck;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.state.StateDirs;
import org.ciphersync.vault.store.local.LocalBlobStore;
import org.ciphersync.vault.sync.Action;
import org.ciphersync.vault.sync.DownSync;
import org.ciphersync.vault.sync.Progress;
import org.ciphersync.vault.sync.UpSync;

/**
 * Phases of the bench harness in one JVM (no launcher or key-derivation time), for comparison with
 * the restic anchors in ../shared/bench/results: first up-sync, up-sync after mutate, preview of the
 * unchanged tree, restore into an empty home, check --read-data, stored size.
 * Args: WORK_DIR CORPUS_DIR (copied to WORK_DIR/home-a/src).
 */
public final class VaultBench {
    private VaultBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path corpus = Path.of(args[1]);
        Path homeA = work.resolve("home-a");
        Path homeB = work.resolve("home-b");
        Files.createDirectories(homeB);
        Files.createDirectories(homeA);
        run("cp", "-a", corpus.toString(), homeA.resolve("src").toString());
        Path vault = work.resolve("vault");
        StateDirs da = StateDirs.under(work.resolve("state-a"), homeA);
        StateDirs db = StateDirs.under(work.resolve("state-b"), homeB);
        try (VaultSetup.Opened a = VaultSetup.init(new LocalBlobStore(vault), vault.toString(), Password.of("pw"), TestVault.cheapKdf(),
                da, "a", "me", Clock.systemUTC());
             VaultSetup.Opened b = VaultSetup.join(new LocalBlobStore(vault), vault.toString(), Password.of("pw"), db, "b", "me",
                     Clock.systemUTC())) {
            List<Path> src = List.of(homeA.resolve("src"));
            long t = System.nanoTime();
            UpSync.Summary s = UpSync.run(a.repo(), a.computer(), "files", src, Progress.NONE);
            report("first", t, s.files() + " files, " + s.uploadedBytes() + " uploaded");
            long stored1 = du(vault);
            System.out.println("stored-after-first " + stored1);
            t = System.nanoTime();
            List<Action> p = DownSync.preview(a.repo(), a.computer(), DownSync.Options.of("files"));
            report("preview-unchanged", t, p.size() + " actions");
            t = System.nanoTime();
            s = UpSync.run(a.repo(), a.computer(), "files", src, Progress.NONE);
            report("up-unchanged", t, s.commit() == null ? "no commit" : "commit");
            run("python3", System.getProperty("bench.corpus", "../../shared/bench/corpus.py"), "mutate", homeA.resolve("src").toString());
            t = System.nanoTime();
            s = UpSync.run(a.repo(), a.computer(), "files", src, Progress.NONE);
            report("incr", t, s.newFiles() + " new, " + s.changedFiles() + " changed, " + s.removedFiles() + " removed, "
                    + s.uploadedBytes() + " uploaded");
            t = System.nanoTime();
            DownSync.Result r = DownSync.run(b.repo(), b.computer(), DownSync.Options.of("files"), Progress.NONE);
            report("restore", t, r.applied() + " applied, " + r.failures().size() + " failed");
            t = System.nanoTime();
            CheckReport c = VaultCheck.run(a.repo(), List.of("files"), null);
            report("check", t, c.errors().size() + " errors (structure)");
            t = System.nanoTime();
            c = VaultCheck.run(a.repo(), List.of("files"), "all");
            report("check-read-data", t, c.errors().size() + " errors, " + c.blobsRead() + " blobs");
            System.out.println("stored " + du(vault));
            System.out.println("verify " + run("diff", "-r", "-q", homeA.resolve("src").toString(), homeB.resolve("src").toString()));
            Runtime rt = Runtime.getRuntime();
            System.out.println("heap-used-mib " + (rt.totalMemory() - rt.freeMemory()) / (1 << 20));
        }
    }

    private static void report(String phase, long start, String what) {
        System.out.printf("%-18s %8.3f s  %s%n", phase, (System.nanoTime() - start) / 1e9, what);
    }

    private static long du(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(x -> x.toFile().length()).sum();
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}
