package org.ciphersync.cli.vault;

import java.util.concurrent.Callable;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.setup.VaultSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault join LOCATION}: adds this computer to the chain of an existing vault. */
@Command(name = "join", description = "Adds this computer to the chain of the vault at LOCATION (needs the master password).",
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class JoinCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LOCATION", description = "where the vault lives")
    String location;

    @Option(names = "--name", description = "this computer's name in the chain (default: the host name)")
    String name;

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
            try (Password pw = ctx.password("Master password: ", false);
                 VaultSetup.Opened o = VaultSetup.join(ctx.openAndTest(loc), loc, pw, ctx.dirs(), computer, ctx.user(),
                         ctx.clock())) {
                if (ctx.events != null) {
                    ctx.events.event("joined").put("vault", o.repo().vaultId()).put("location", loc)
                            .put("computer", o.computer().config().computer().hex()).put("name", computer).emit();
                } else {
                    ctx.out.println("This computer (" + computer + ", " + o.computer().config().computer().shortForm()
                            + ") joined vault " + o.repo().vaultId() + " at " + loc);
                    ctx.out.println("Run 'ciphersync vault preview' to see what a down-sync would restore.");
                }
                return 0;
            }
        });
    }
}
