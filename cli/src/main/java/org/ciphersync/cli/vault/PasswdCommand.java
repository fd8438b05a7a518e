package org.ciphersync.cli.vault;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.setup.KeyOps;
import org.ciphersync.vault.setup.VaultSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault passwd}: changes the master password; no data is re-uploaded. */
@Command(name = "passwd", description = "Changes the master password. Only the key slot changes; no data is re-uploaded.",
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class PasswdCommand implements Callable<Integer> {
    @Option(names = "--new-password-file", paramLabel = "FILE", description = "read the new password from FILE instead of prompting")
    Path newPasswordFile;

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
            try (VaultSetup.Opened o = ctx.open();
                 Password fresh = newPasswordFile != null ? VaultContext.readPasswordFile(newPasswordFile, "--new-password-file")
                         : VaultContext.prompt("New master password: ", true)) {
                KeyOps.changePassword(o.repo(), fresh, InitCommand.kdf(kdfFloor));
            }
            if (ctx.events != null) {
                ctx.events.event("password-changed").emit();
            } else {
                ctx.out.println("The master password was changed on every computer of the chain.");
            }
            return 0;
        });
    }
}
