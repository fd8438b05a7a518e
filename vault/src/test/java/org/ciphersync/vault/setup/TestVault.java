package org.ciphersync.vault.setup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.ciphersync.crypto.kdf.Argon2idParams;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.state.StateDirs;
import org.ciphersync.vault.store.local.LocalBlobStore;
import org.ciphersync.vault.sync.DownSync;
import org.ciphersync.vault.sync.Progress;
import org.ciphersync.vault.sync.UpSync;

/**
 * A vault folder and computers with separate homes and state folders, for tests: each computer
 * is what a separate user account (or machine) would be.
 */
public final class TestVault {
    public static final String PASSWORD = "correct horse battery staple";
    public static final String NS = "files";
    /** The cheapest Argon2id the crypto floor allows, so tests stay fast. */
    public static Argon2idParams cheapKdf() {
        return Argon2idParams.withRandomSalt(Argon2idParams.MIN_MEMORY_KIB, Argon2idParams.MIN_ITERATIONS, 1, new SecureRandom());
    }

    public final Path root;
    public final Path vaultDir;

    public TestVault(Path root) {
        this.root = root;
        this.vaultDir = root.resolve("vault");
    }

    public LocalBlobStore store() {
        return new LocalBlobStore(vaultDir);
    }

    /** A computer named {@code name} with its own home and state under the test root. */
    public Computer computer(String name, String user) {
        Path home = root.resolve(name + "-home");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Computer(name, user, home, StateDirs.under(root.resolve(name + "-state"), home));
    }

    /** One test computer. */
    public final class Computer {
        public final String name;
        public final String user;
        public final Path home;
        public final StateDirs dirs;
        private VaultSetup.Opened opened;

        Computer(String name, String user, Path home, StateDirs dirs) {
            this.name = name;
            this.user = user;
            this.home = home;
            this.dirs = dirs;
        }

        public Computer init() throws IOException {
            opened = VaultSetup.init(store(), vaultDir.toString(), Password.of(PASSWORD), cheapKdf(), dirs, name, user, Clock.systemUTC());
            return this;
        }

        public Computer join() throws IOException {
            opened = VaultSetup.join(store(), vaultDir.toString(), Password.of(PASSWORD), dirs, name, user, Clock.systemUTC());
            return this;
        }

        public VaultSetup.Opened opened() {
            if (opened == null) {
                opened = VaultSetup.open(store(), Password.of(PASSWORD), dirs, user, Clock.systemUTC());
            }
            return opened;
        }

        public Path write(String rel, String content) throws IOException {
            Path p = home.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return p;
        }

        public String read(String rel) throws IOException {
            return Files.readString(home.resolve(rel), StandardCharsets.UTF_8);
        }

        public boolean exists(String rel) {
            return Files.exists(home.resolve(rel));
        }

        public UpSync.Summary up(String... rels) throws IOException {
            List<Path> paths = java.util.Arrays.stream(rels).map(home::resolve).toList();
            return UpSync.run(opened().repo(), opened().computer(), NS, paths, Progress.NONE);
        }

        public DownSync.Result down(DownSync.Options o) {
            return DownSync.run(opened().repo(), opened().computer(), o, Progress.NONE);
        }

        public DownSync.Result down() {
            return down(DownSync.Options.of(NS));
        }

        public void close() {
            if (opened != null) {
                opened.close();
                opened = null;
            }
        }
    }
}
