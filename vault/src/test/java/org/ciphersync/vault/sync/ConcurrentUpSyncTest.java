package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ciphersync.vault.check.VaultCheck;
import org.ciphersync.vault.setup.TestVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V3: several computers up-sync at the same time without locks and without corrupting the vault. */
class ConcurrentUpSyncTest {
    @Test
    void threeComputersUpSyncingAtOnce_allCommitsLand_andEveryoneConverges(@TempDir Path tmp) throws Exception {
        TestVault v = new TestVault(tmp);
        List<TestVault.Computer> cs = List.of(v.computer("one", "me").init(), v.computer("two", "me").join(),
                v.computer("three", "me").join());
        for (TestVault.Computer c : cs) {
            for (int i = 0; i < 30; i++) {
                c.write("docs/" + c.name + "/f" + i + ".txt", (c.name + " file " + i + " ").repeat(50 + i * 100));
            }
            c.write("docs/shared-same.txt", "identical content on every computer");
        }
        CyclicBarrier start = new CyclicBarrier(cs.size());
        ExecutorService pool = Executors.newFixedThreadPool(cs.size());
        try {
            List<Future<UpSync.Summary>> results = new ArrayList<>();
            for (TestVault.Computer c : cs) {
                results.add(pool.submit(() -> {
                    start.await();
                    return c.up("docs");
                }));
            }
            for (Future<UpSync.Summary> f : results) {
                assertThat(f.get().commit()).isNotNull();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(VaultCheck.run(cs.get(0).opened().repo(), List.of(TestVault.NS), "all").errors()).isEmpty();
        for (TestVault.Computer c : cs) {
            DownSync.Result r = c.down();
            assertThat(r.failures()).isEmpty();
            for (TestVault.Computer other : cs) {
                assertThat(c.read("docs/" + other.name + "/f7.txt")).startsWith(other.name + " file 7");
            }
            // same content made independently everywhere: adopted, not a conflict
            assertThat(r.plan()).noneMatch(a -> a.kind() == Action.Kind.CONFLICT);
        }
        cs.forEach(TestVault.Computer::close);
    }

    @Test
    void upSyncTwiceOnOneComputerAtOnce_isRefusedByTheLocalLock(@TempDir Path tmp) throws Exception {
        TestVault v = new TestVault(tmp);
        TestVault.Computer a = v.computer("one", "me").init();
        a.write("f.txt", "x");
        try (var lock = LocalLockAccess.acquire(a)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.up("f.txt"))
                    .hasMessageContaining("another vault operation of this computer is running");
        }
        a.close();
    }

    /** Test access to the package-private lock. */
    static final class LocalLockAccess {
        static AutoCloseable acquire(TestVault.Computer c) throws IOException {
            return LocalLock.acquire(c.dirs.vaultDataDir(c.opened().repo().vaultId()));
        }
    }
}
