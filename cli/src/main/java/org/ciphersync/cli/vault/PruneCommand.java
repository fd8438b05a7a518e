package org.ciphersync.cli.vault;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.ciphersync.cli.output.Units;
import org.ciphersync.vault.prune.Prune;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.sync.LocalLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault prune}. */
@Command(name = "prune", description = {"Removes data no point in time references, under a maintenance lease that never blocks",
        "up-syncs or down-syncs. An object is deleted only after the grace period and after every active computer",
        "has run an operation since it was found unreferenced; run prune again later to finish."},
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class PruneCommand implements Callable<Integer> {
    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "files", split = ",",
            description = "every namespace in use (default: ${DEFAULT-VALUE}); prune refuses when one is missing")
    List<String> namespaces;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "PT24H", description = "grace period, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration grace;

    @Mixin
    VaultOptions options;

    @Spec
    CommandSpec spec;

    @Override
    @SuppressWarnings("try") // the local lock is held while prune runs
    public Integer call() throws Exception {
        return VaultContext.run(() -> {
            VaultContext ctx = new VaultContext(options, spec);
            Prune.Result r;
            try (VaultSetup.Opened o = ctx.open();
                 LocalLock lock = LocalLock.acquire(o.computer().dirs().vaultDataDir(o.repo().vaultId()))) {
                // none of this computer's own operations runs meanwhile: prune does not wait for its acknowledgement
                r = Prune.run(o.repo(), o.computer().config().computer(), namespaces, grace, ctx.clock());
            }
            if (ctx.events != null) {
                ctx.events.event("summary").put("candidates", r.candidates()).put("deleted", r.deleted())
                        .put("waitingForGrace", r.waitingForGrace()).put("waitingForComputers", r.waitingForComputers())
                        .put("bytesFreed", r.bytesFreed()).emit();
            } else {
                ctx.out.printf("%d unreferenced objects: %d deleted (%s freed), %d within the grace period%s%n", r.candidates(),
                        r.deleted(), Units.bytes(r.bytesFreed()), r.waitingForGrace(), r.waitingForComputers().isEmpty() ? ""
                                : ", others wait for computers " + String.join(", ", r.waitingForComputers()));
            }
            return 0;
        });
    }
}
