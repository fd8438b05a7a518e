package org.ciphersync.cli.vault;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ciphersync.vault.setup.KeyOps;
import org.ciphersync.vault.setup.VaultSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault recovery-key}: creates a recovery key (replacing any previous one) and prints it once. */
@Command(name = "recovery-key", description = {"Creates a recovery key that opens the vault without the master password,",
        "replacing any previous one, and prints it once. Keep it offline."},
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class RecoveryKeyCommand implements Callable<Integer> {
    @Mixin
    VaultOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return VaultContext.run(() -> {
            VaultContext ctx = new VaultContext(options, spec);
            String key;
            try (VaultSetup.Opened o = ctx.open()) {
                key = KeyOps.newRecoveryKey(o.repo());
            }
            if (ctx.events != null) {
                ctx.events.event("recovery-key").put("recoveryKey", key).emit();
            } else {
                printOnce(ctx.out, key);
            }
            return 0;
        });
    }

    static void printOnce(PrintWriter out, String key) {
        out.println();
        out.println("Recovery key (shown only now; write it down and keep it offline):");
        out.println();
        String[] groups = key.split("-");
        StringBuilder line = new StringBuilder("    ");
        for (int i = 0; i < groups.length; i++) {
            line.append(groups[i]).append(i == groups.length - 1 ? "" : "-");
            if ((i + 1) % 5 == 0 && i < groups.length - 1) {
                out.println(line);
                line = new StringBuilder("    ");
            }
        }
        out.println(line);
        out.println();
    }
}
