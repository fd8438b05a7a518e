package org.ciphersync.vault.setup;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import org.ciphersync.crypto.kdf.Argon2idParams;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.cache.ObjectCache;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.ComputerRecord;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.state.ComputerConfig;
import org.ciphersync.vault.state.StateDirs;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.sync.LocalComputer;

/**
 * Connecting a computer to a vault (V2, V3): {@code init} creates the vault and adds this computer
 * to its chain, {@code join} adds another computer with the vault location and the master
 * password, {@code open} unlocks the vault this computer is connected to.
 */
public final class VaultSetup {
    private VaultSetup() {
    }

    /** An unlocked vault and the computer that uses it. */
    public record Opened(Repository repo, LocalComputer computer) implements AutoCloseable {
        @Override
        public void close() {
            repo.close();
        }
    }

    /** Creates a vault at {@code store} and makes this computer its first member. */
    public static Opened init(BlobStore store, String location, Password password, Argon2idParams kdf, StateDirs dirs,
                              String computerName, String user, Clock clock) throws IOException {
        refuseIfConnected(dirs);
        SecureRandom rng = new SecureRandom();
        Repository repo = Repository.create(store, password, kdf, rng, clock);
        return register(repo, location, dirs, computerName, user, clock, rng);
    }

    /** Adds this computer to the chain of the vault at {@code store}. */
    public static Opened join(BlobStore store, String location, Password password, StateDirs dirs, String computerName,
                              String user, Clock clock) throws IOException {
        refuseIfConnected(dirs);
        Repository repo = Repository.open(store, password);
        return register(repo, location, dirs, computerName, user, clock, new SecureRandom());
    }

    private static Opened register(Repository repo, String location, StateDirs dirs, String computerName, String user,
                                   Clock clock, SecureRandom rng) throws IOException {
        try {
            ComputerId id = ComputerId.random(rng);
            repo.saveComputer(new ComputerRecord(id, computerName, user, clock.millis()));
            ComputerConfig cfg = ComputerConfig.of(location, repo.vaultId(), id, computerName);
            cfg.save(dirs);
            repo.useCache(ObjectCache.in(dirs.cache(), repo.vaultId()));
            return new Opened(repo, new LocalComputer(dirs, cfg, user, clock));
        } catch (IOException | RuntimeException e) {
            repo.close();
            throw e;
        }
    }

    /** Opens the vault this computer is connected to; {@code store} MUST be at its configured location. */
    public static Opened open(BlobStore store, Password password, StateDirs dirs, String user, Clock clock) {
        ComputerConfig cfg = ComputerConfig.load(dirs);
        Repository repo = Repository.open(store, password);
        if (!repo.vaultId().equals(cfg.vaultId())) {
            String other = repo.vaultId();
            repo.close();
            throw new VaultException(VaultException.Kind.REFUSED, "the vault at " + store.location() + " (id " + other
                    + ") is not the one this computer joined (id " + cfg.vaultId() + ")");
        }
        repo.useCache(ObjectCache.in(dirs.cache(), repo.vaultId()));
        return new Opened(repo, new LocalComputer(dirs, cfg, user, clock));
    }

    /** Opens the vault this computer is connected to with the recovery key (forgotten password). */
    public static Opened openWithRecoveryKey(BlobStore store, org.ciphersync.crypto.secret.SecretBytes recoveryKey, StateDirs dirs,
                                             String user, Clock clock) {
        ComputerConfig cfg = ComputerConfig.load(dirs);
        Repository repo = Repository.openWithRecoveryKey(store, recoveryKey);
        if (!repo.vaultId().equals(cfg.vaultId())) {
            String other = repo.vaultId();
            repo.close();
            throw new VaultException(VaultException.Kind.REFUSED, "the vault at " + store.location() + " (id " + other
                    + ") is not the one this computer joined (id " + cfg.vaultId() + ")");
        }
        repo.useCache(ObjectCache.in(dirs.cache(), repo.vaultId()));
        return new Opened(repo, new LocalComputer(dirs, cfg, user, clock));
    }

    private static void refuseIfConnected(StateDirs dirs) {
        Objects.requireNonNull(dirs, "dirs == null");
        if (ComputerConfig.exists(dirs)) {
            throw new VaultException(VaultException.Kind.REFUSED, "this computer is already connected to a vault ("
                    + dirs.computerConfigFile() + "); a computer belongs to one vault per user");
        }
    }
}
