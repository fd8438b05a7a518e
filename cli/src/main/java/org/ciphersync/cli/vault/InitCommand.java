package org.ciphersync.cli.vault;

import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.ciphersync.crypto.kdf.Argon2idParams;
import org.ciphersync.crypto.kdf.PasswordKdf;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.setup.KeyOps;
import org.ciphersync.vault.setup.VaultSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault init LOCATION}: creates the vault and adds this computer to its chain. */
@Command(name = "init", description = {"Creates a vault at LOCATION (a folder) and adds this computer to its chain.",
        "The master password is asked twice; it is stored nowhere. Argon2id is calibrated on this machine."},
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class InitCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LOCATION", description = "where the vault lives: a folder path, sftp://user@host[:port]/path, s3://bucket/prefix, webdav(s)://host/path or rclone:REMOTE:path")
    String location;

    @Option(names = "--name", description = "this computer's name in the chain (default: the host name)")
    String name;

    @Option(names = "--recovery-key", description = "also create a recovery key and print it once")
    boolean recoveryKey;

    /** Hidden: the cheapest Argon2id the floor allows instead of calibrating (tests only). */
    @Option(names = "--kdf-floor", hidden = true)
    boolean kdfFloor;

    @Mixin
    VaultOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return VaultContext.run(() -> {
            VaultContext ctx = new VaultContext(options, spec);
            String loc = VaultContext.normalizeLocation(location);
            String computer = name != null ? name : VaultContext.computerName();
            try (Password pw = ctx.password("New master password: ", true);
                 VaultSetup.Opened o = VaultSetup.init(ctx.openAndTest(loc), loc, pw, kdf(kdfFloor), ctx.dirs(), computer,
                         ctx.user(), ctx.clock())) {
                String rk = recoveryKey ? KeyOps.newRecoveryKey(o.repo()) : null;
                if (ctx.events != null) {
                    var e = ctx.events.event("initialized").put("vault", o.repo().vaultId()).put("location", loc)
                            .put("computer", o.computer().config().computer().hex()).put("name", computer);
                    if (rk != null) {
                        e.put("recoveryKey", rk);
                    }
                    e.emit();
                } else {
                    ctx.out.println("Created vault " + o.repo().vaultId() + " at " + loc);
                    ctx.out.println("This computer (" + computer + ", " + o.computer().config().computer().shortForm()
                            + ") is the first of its chain. Add others with 'ciphersync vault join " + loc + "'.");
                    if (rk != null) {
                        RecoveryKeyCommand.printOnce(ctx.out, rk);
                    }
                }
                return 0;
            }
        });
    }

    static Argon2idParams kdf(boolean floor) {
        SecureRandom rng = new SecureRandom();
        if (floor) {
            return Argon2idParams.withRandomSalt(Argon2idParams.MIN_MEMORY_KIB, Argon2idParams.MIN_ITERATIONS, 1, rng);
        }
        Argon2idParams calibrated = PasswordKdf.calibrate(rng).params();
        VaultContext.releaseKdfMemory(); // the key slot's derivation then reuses the calibration's work memory
        return calibrated;
    }
}
