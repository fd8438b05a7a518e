package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ciphersync.vault.check.CheckReport;
import org.ciphersync.vault.check.VaultCheck;
import org.ciphersync.vault.setup.TestVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random points of up-sync and down-sync (separate JVM processes) leaves a vault that
 * check passes, nothing partial under a final name, and a re-run completes.
 */
class CrashIT {
    private static final int ROUNDS = 3;

    @Test
    void killMinus9DuringUpAndDown_leavesACheckableVault_andReRunsComplete(@TempDir Path tmp) throws Exception {
        TestVault v = new TestVault(tmp);
        TestVault.Computer a = v.computer("alpha", "me").init();
        TestVault.Computer b = v.computer("beta", "me").join();
        Random rnd = new Random(42);
        for (int i = 0; i < 24; i++) {
            byte[] data = new byte[256 * 1024 + rnd.nextInt(1 << 20)];
            rnd.nextBytes(data);
            Files.createDirectories(a.home.resolve("data"));
            Files.write(a.home.resolve("data/f" + i + ".bin"), data);
        }
        a.close();
        b.close();
        for (int round = 0; round < ROUNDS; round++) {
            // change a few files, then kill an up-sync somewhere in the middle
            for (int i = 0; i < 4; i++) {
                byte[] data = new byte[300_000 + rnd.nextInt(500_000)];
                rnd.nextBytes(data);
                Files.write(a.home.resolve("data/f" + rnd.nextInt(24) + ".bin"), data);
            }
            runAndKill(v, a, "up", 100 + rnd.nextInt(700));
            assertSound(v, a);
            runAndKill(v, b, "down", 50 + rnd.nextInt(400));
            assertSound(v, b);
            assertNoPartialFiles(a, b);
        }
        // re-runs complete
        assertThat(run(v, a, "up")).isZero();
        assertThat(run(v, b, "down")).isZero();
        assertSound(v, a);
        try (Stream<Path> s = Files.list(a.home.resolve("data"))) {
            for (Path p : s.toList()) {
                assertThat(Files.mismatch(p, b.home.resolve("data").resolve(p.getFileName()))).as(p.toString()).isEqualTo(-1);
            }
        }
    }

    private static void assertSound(TestVault v, TestVault.Computer c) {
        CheckReport r = VaultCheck.run(c.opened().repo(), List.of(TestVault.NS), "all");
        assertThat(r.errors()).isEmpty();
        c.close();
    }

    /** Files under final names on b are either absent or exactly a version a up-synced at some point; never partial. */
    private static void assertNoPartialFiles(TestVault.Computer a, TestVault.Computer b) throws IOException {
        Path data = b.home.resolve("data");
        if (!Files.exists(data)) {
            return;
        }
        try (Stream<Path> s = Files.list(data)) {
            for (Path p : s.filter(x -> !x.getFileName().toString().startsWith(".")).toList()) {
                long size = Files.size(p);
                assertThat(size).as("partial file " + p).isGreaterThanOrEqualTo(256 * 1024L).isLessThan(256 * 1024L + (1 << 20));
            }
        }
    }

    private static void runAndKill(TestVault v, TestVault.Computer c, String op, int delayMillis) throws Exception {
        Process p = start(v, c, op);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            r.readLine(); // "opened": the key derivation is done, the operation starts now
            if (!p.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL
                p.waitFor();
            }
        }
    }

    private static int run(TestVault v, TestVault.Computer c, String op) throws Exception {
        Process p = start(v, c, op);
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return p.waitFor();
    }

    private static Process start(TestVault v, TestVault.Computer c, String op) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashWorker.class.getName(), v.vaultDir.toString(), c.dirs.config().getParent().toString(), c.home.toString(), op, "data")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
