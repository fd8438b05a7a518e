package org.ciphersync.vault.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.state.ComputerConfig;
import org.ciphersync.vault.state.StateDirs;
import org.ciphersync.vault.store.local.LocalBlobStore;
import org.ciphersync.vault.sync.DownSync;
import org.ciphersync.vault.sync.LocalComputer;
import org.ciphersync.vault.sync.Progress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bit flip, truncation, swap or rollback of a stored object is detected with a clear error,
 * and nothing wrong is written to the receiving computer's disk.
 */
class TamperTest {
    @TempDir
    Path tmp;
    TestVault vault;
    Map<String, String> expected = new TreeMap<>();
    Path pristine;

    @BeforeEach
    void setUp() throws IOException {
        vault = new TestVault(tmp.resolve("v"));
        TestVault.Computer a = vault.computer("alpha", "me").init();
        expected.put("docs/a.txt", "alpha ".repeat(1000));
        expected.put("docs/b.txt", "beta");
        expected.put("docs/big.bin", "0123456789abcdef".repeat(40_000));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            a.write(e.getKey(), e.getValue());
        }
        a.up("docs");
        a.close();
        pristine = tmp.resolve("pristine");
        copyTree(vault.vaultDir, pristine);
    }

    @Test
    void everyMutationOfEveryObject_isDetected_andNothingWrongIsWritten() throws IOException {
        List<Path> objects;
        try (Stream<Path> s = Files.walk(pristine)) {
            objects = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(objects).hasSizeGreaterThanOrEqualTo(6);
        int round = 0;
        for (Path original : objects) {
            long size = Files.size(original);
            for (String mutation : List.of("flip-first", "flip-middle", "flip-last", "truncate")) {
                round++;
                restore();
                Path target = vault.vaultDir.resolve(pristine.relativize(original).toString());
                byte[] b = Files.readAllBytes(target);
                switch (mutation) {
                    case "flip-first" -> b[0] ^= 0x01;
                    case "flip-middle" -> b[(int) (size / 2)] ^= 0x40;
                    case "flip-last" -> b[b.length - 1] ^= (byte) 0x80;
                    default -> b = java.util.Arrays.copyOf(b, b.length / 2);
                }
                Files.write(target, b);
                String what = mutation + " of " + pristine.relativize(original);
                assertDetected(what, tmp.resolve("home-" + round), tmp.resolve("state-" + round));
            }
        }
    }

    @Test
    void swappedObjects_areDetected() throws IOException {
        // make a second commit so there are two of each kind, then swap the two commits and the two index objects
        TestVault.Computer a = vault.computer("alpha", "me");
        a.write("docs/c.txt", "gamma");
        a.up("docs");
        a.close();
        copyTree(vault.vaultDir, pristine);
        for (String folder : List.of("snapshots", "index")) {
            restore();
            List<Path> two;
            try (Stream<Path> s = Files.list(vault.vaultDir.resolve(folder))) {
                two = s.sorted().toList();
            }
            assertThat(two).hasSize(2);
            Path t = two.get(0).resolveSibling("swap");
            Files.move(two.get(0), t);
            Files.move(two.get(1), two.get(0));
            Files.move(t, two.get(1));
            assertDetected("swapped " + folder, tmp.resolve("home-swap-" + folder), tmp.resolve("state-swap-" + folder));
        }
    }

    @Test
    void rollbackOfALogThatThisComputerSaw_isRefused() throws IOException {
        TestVault.Computer b = vault.computer("beta", "me").join();
        b.down();
        Path before = tmp.resolve("before-second");
        copyTree(vault.vaultDir, before);
        TestVault.Computer a = vault.computer("alpha", "me");
        a.write("docs/c.txt", "gamma");
        a.up("docs");
        a.close();
        b.down(); // b has now seen commit 2 of alpha
        // the storage is restored from the older copy (commit 2 gone)
        deleteTree(vault.vaultDir);
        copyTree(before, vault.vaultDir);
        assertThatThrownBy(b::down).isInstanceOf(VaultException.class)
                .hasMessageContaining("went back in time")
                .extracting(e -> ((VaultException) e).kind()).isEqualTo(VaultException.Kind.ROLLBACK);
        b.close();
    }

    /** An unlocked repository reused across rounds (Argon2id per round would make this test slow). */
    private Repository shared;

    @org.junit.jupiter.api.AfterEach
    void closeShared() {
        if (shared != null) {
            shared.close();
        }
    }

    private Repository openShared() throws IOException {
        if (shared == null) {
            Path mutated = tmp.resolve("mutated");
            copyTree(vault.vaultDir, mutated);
            restore();
            shared = Repository.open(new LocalBlobStore(vault.vaultDir), Password.of(TestVault.PASSWORD));
            deleteTree(vault.vaultDir);
            copyTree(mutated, vault.vaultDir);
        }
        return shared;
    }

    private void assertDetected(String what, Path home, Path stateRoot) throws IOException {
        boolean keyMaterial = what.contains("config") || what.contains("keys");
        Files.createDirectories(home);
        List<String> problems = new ArrayList<>();
        Repository repo = null;
        try {
            repo = keyMaterial ? Repository.open(new LocalBlobStore(vault.vaultDir), Password.of(TestVault.PASSWORD)) : openShared();
            try {
                problems.addAll(VaultCheck.run(repo, List.of(TestVault.NS), "all").errors());
            } catch (VaultException e) {
                problems.add(e.getMessage());
            }
            StateDirs dirs = StateDirs.under(stateRoot, home);
            ComputerConfig cfg = ComputerConfig.of(vault.vaultDir.toString(), repo.vaultId(),
                    org.ciphersync.vault.chain.ComputerId.random(new java.security.SecureRandom()), "probe");
            cfg.save(dirs);
            try {
                DownSync.Result r = DownSync.run(repo, new LocalComputer(dirs, cfg, "me", Clock.systemUTC()),
                        DownSync.Options.of(TestVault.NS), Progress.NONE);
                r.failures().forEach(f -> problems.add(f.message()));
            } catch (VaultException e) {
                problems.add(e.getMessage());
            }
            try {
                org.ciphersync.vault.sync.Restore.Result r = org.ciphersync.vault.sync.Restore.run(repo, TestVault.NS, "latest",
                        p -> true, restored(home));
                r.failures().forEach(f -> problems.add(f.message()));
            } catch (VaultException e) {
                problems.add(e.getMessage());
            }
        } catch (VaultException e) {
            problems.add(e.getMessage()); // config or key slot: "wrong password" / integrity / not a vault
        } finally {
            if (keyMaterial && repo != null) {
                repo.close();
            }
        }
        assertThat(problems).as(what + " must be detected").isNotEmpty();
        // nothing wrong on disk, by down-sync or restore: every file written is exactly right, no temporary files left
        for (Path root : List.of(home, restored(home).resolve("home"))) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    String rel = root.relativize(p).toString();
                    assertThat(expected).as(what + ": unexpected file " + p).containsKey(rel);
                    assertThat(Files.readString(p)).as(what + ": content of " + p).isEqualTo(expected.get(rel));
                }
            }
        }
    }

    /** Where {@code vault restore} writes in a round: beside the round's home. */
    private static Path restored(Path home) {
        return home.resolveSibling(home.getFileName() + "-restored");
    }

    private void restore() throws IOException {
        deleteTree(vault.vaultDir);
        copyTree(pristine, vault.vaultDir);
    }

    static void copyTree(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            deleteTree(to);
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
