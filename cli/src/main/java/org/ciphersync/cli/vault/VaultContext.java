package org.ciphersync.cli.vault;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.ciphersync.cli.CliException;
import org.ciphersync.cli.ExitCode;
import org.ciphersync.cli.output.JsonEvents;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.state.ComputerConfig;
import org.ciphersync.vault.state.StateDirs;
import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreRegistry;
import org.ciphersync.vault.store.StoreException;
import org.ciphersync.vault.store.decorator.BlobStores;
import org.ciphersync.vault.store.decorator.StoreOptions;
import picocli.CommandLine.Model.CommandSpec;

/** What the vault commands share: state folders, password input, store opening, output and error mapping. */
final class VaultContext {
    /** Largest password file read (a password, not a document). */
    private static final int MAX_PASSWORD_BYTES = 4096;

    final VaultOptions options;
    final CommandSpec spec;
    final PrintWriter out;
    final PrintWriter err;
    final JsonEvents events;

    VaultContext(VaultOptions options, CommandSpec spec) {
        this.options = options;
        this.spec = spec;
        this.out = spec.commandLine().getOut();
        this.err = spec.commandLine().getErr();
        this.events = options.json ? new JsonEvents(out) : null;
    }

    /** Runs a command body, mapping the vault's failures to exit codes (see {@link #exitCode}). */
    static int run(Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (VaultException e) {
            throw new CliException(exitCode(e), e.getMessage(), e);
        }
    }

    /** The exit code of a vault failure: the one mapping, documented in each command's footer. */
    static ExitCode exitCode(VaultException e) {
        return switch (e.kind()) {
            case WRONG_PASSWORD -> ExitCode.AUTH;
            case INTEGRITY, ROLLBACK -> ExitCode.INTEGRITY;
            case REFUSED, NOT_A_VAULT -> ExitCode.REFUSED;
            case USAGE -> ExitCode.USAGE;
            case STORAGE -> e.getCause() instanceof StoreException s && s.isTransient() ? ExitCode.UNAVAILABLE : ExitCode.IO;
        };
    }

    StateDirs dirs() {
        StateDirs d = StateDirs.resolve(options.stateDir == null ? null : options.stateDir.toString());
        return options.home == null ? d : new StateDirs(d.config(), d.data(), d.cache(), options.home.toAbsolutePath());
    }

    String user() {
        return options.user != null ? options.user : System.getProperty("user.name", "user");
    }

    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The storage backends this command line knows: every {@code BlobStoreFactory} on the class
     * path (local folder, sftp://, s3://, webdav(s)://, rclone:), found once.
     */
    private static final BlobStoreRegistry REGISTRY = BlobStoreRegistry.withInstalledFactories();

    static BlobStoreRegistry registry() {
        return REGISTRY;
    }

    /** A local path location made absolute; other schemes as given. */
    static String normalizeLocation(String location) {
        return BlobStoreRegistry.schemeOf(location).equals("file") && !location.startsWith("file:")
                ? Path.of(location).toAbsolutePath().normalize().toString() : location;
    }

    /** Opens the vault's storage with the user's {@code -o KEY=VALUE} settings, decorated (retry, limits). */
    BlobStore openStore(String location) {
        for (String key : options.backendOptions.keySet()) {
            if (BackendOptions.isSecretKey(key)) {
                throw new CliException(ExitCode.USAGE, "-o " + key + " would put a secret on the command line, where other "
                        + "users can see it; use the backend's usual source instead (AWS profile or environment variables "
                        + "for S3, CIPHERSYNC_WEBDAV_PASSWORD for WebDAV, the SSH agent or key file for SFTP)");
            }
        }
        try {
            return BlobStores.decorate(registry().open(location, BackendOptions.fromProcess(options.backendOptions)),
                    StoreOptions.defaults());
        } catch (StoreException e) {
            throw new VaultException(VaultException.Kind.STORAGE, "cannot open the vault location " + registry().redact(location)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes, lists, reads and deletes a probe object before a computer commits to a location;
     * refuses (with what the backend lacks, in plain words) when the storage cannot hold a vault.
     */
    void selfTest(BlobStore store) {
        org.ciphersync.vault.store.selftest.SelfTestReport report =
                org.ciphersync.vault.store.selftest.StoreSelfTest.run(store);
        if (!report.passed()) {
            throw new VaultException(VaultException.Kind.STORAGE, "the storage at " + store.location()
                    + " failed its self-test:\n" + report.describe());
        }
        if (!report.problems().isEmpty() && events == null) {
            err.println(report.describe());
        }
    }

    /** Opens a location for init or join: the store, after its self-test passed. */
    BlobStore openAndTest(String location) {
        BlobStore store = openStore(location);
        selfTest(store);
        return store;
    }

    /** Unlocks the vault this computer is connected to. */
    VaultSetup.Opened open() {
        StateDirs dirs = dirs();
        ComputerConfig cfg = ComputerConfig.load(dirs);
        if (options.recoveryKeyFile != null) {
            try (Password typed = readPasswordFile(options.recoveryKeyFile, "--recovery-key-file");
                 org.ciphersync.crypto.secret.SecretBytes key = org.ciphersync.vault.keys.RecoveryKey.parse(java.nio.CharBuffer.wrap(typed.expose()))) {
                return VaultSetup.openWithRecoveryKey(openStore(cfg.location()), key, dirs, user(), clock());
            }
        }
        try (Password pw = password("Master password: ", false)) {
            VaultSetup.Opened opened = VaultSetup.open(openStore(cfg.location()), pw, dirs, user(), clock());
            releaseKdfMemory();
            return opened;
        }
    }

    /**
     * Collects the garbage the master password's Argon2id derivation left: up to 256 MiB of work
     * memory, which outlived the young generation and would stay in the old one for the rest of
     * the command (vault commands run with the serial collector, which collects the old
     * generation only when it is full), so a large up-sync's heap grew on top of it. A full
     * collection now, while the heap holds little else, takes 20–40 ms; the young collections that
     * copied the dead work memory forward cost 0.3–0.5 s (docs/design.md, Vault §11).
     */
    static void releaseKdfMemory() {
        System.gc();
    }

    /** The master password from {@code --password-file} or a prompt without echo. */
    Password password(String prompt, boolean confirm) {
        if (options.passwordFile != null) {
            return readPasswordFile(options.passwordFile, "--password-file");
        }
        return prompt(prompt, confirm);
    }

    static Password prompt(String prompt, boolean confirm) {
        Console c = System.console();
        if (c == null) {
            throw new CliException(ExitCode.USAGE, "no terminal to ask for the master password; give it with --password-file FILE"
                    + " (which may be /dev/stdin)");
        }
        char[] first = c.readPassword("%s", prompt);
        if (first == null || first.length == 0) {
            throw new CliException(ExitCode.USAGE, "no password entered");
        }
        if (confirm) {
            char[] again = c.readPassword("%s", "Repeat it: ");
            boolean same = again != null && Arrays.equals(first, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new CliException(ExitCode.USAGE, "the two passwords differ; nothing was changed");
            }
        }
        return Password.adopt(first);
    }

    /** Reads the first line of {@code file} (without the line end) as a password. */
    static Password readPasswordFile(Path file, String option) {
        byte[] bytes;
        try (var in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_PASSWORD_BYTES + 1);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "cannot read " + option + " " + file + ": " + e.getMessage());
        }
        try {
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            if (end > MAX_PASSWORD_BYTES) {
                throw new CliException(ExitCode.USAGE, option + " " + file + ": the first line is longer than " + MAX_PASSWORD_BYTES + " bytes");
            }
            if (end == 0) {
                throw new CliException(ExitCode.USAGE, option + " " + file + " is empty");
            }
            CharBuffer cb;
            try {
                cb = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, end));
            } catch (CharacterCodingException e) {
                throw new CliException(ExitCode.USAGE, option + " " + file + " is not UTF-8 text");
            }
            char[] chars = new char[cb.remaining()];
            cb.get(chars);
            if (cb.hasArray()) {
                Arrays.fill(cb.array(), '\0');
            }
            return Password.adopt(chars);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    static String computerName() {
        String n = System.getenv("HOSTNAME");
        if (n == null || n.isBlank()) {
            try {
                n = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                n = "computer";
            }
        }
        return n;
    }
}
