package org.ciphersync.cli.vault;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.ComputerRecord;
import org.ciphersync.vault.repo.VaultView;
import org.ciphersync.vault.setup.VaultSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault chain}: the computers of the chain with their last activity. */
@Command(name = "chain", description = "Lists the computers of the vault's chain with their last up-sync.",
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class ChainCommand implements Callable<Integer> {
    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "files", split = ",",
            description = "namespaces whose activity counts (default: ${DEFAULT-VALUE})")
    List<String> namespaces;

    @Mixin
    VaultOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return VaultContext.run(() -> {
            VaultContext ctx = new VaultContext(options, spec);
            try (VaultSetup.Opened o = ctx.open()) {
                Map<ComputerId, Long> last = new HashMap<>();
                for (String ns : namespaces) {
                    VaultView.load(o.repo(), ns).lastActivity().forEach((c, t) -> last.merge(c, t, Math::max));
                }
                ComputerId me = o.computer().config().computer();
                for (ComputerRecord r : o.repo().computers()) {
                    Long t = last.get(r.id());
                    String activity = t == null ? "never up-synced" : Instant.ofEpochMilli(t).toString();
                    if (ctx.events != null) {
                        ctx.events.event("computer").put("id", r.id().hex()).put("name", r.name()).put("user", r.user())
                                .put("joined", Instant.ofEpochMilli(r.joined()).toString()).put("lastUpSync", t == null ? null
                                        : Instant.ofEpochMilli(t).toString()).put("thisComputer", r.id().equals(me)).emit();
                    } else {
                        ctx.out.printf("%s  %-20s %-12s joined %s, last up-sync %s%s%n", r.id().shortForm(), r.name(), r.user(),
                                Instant.ofEpochMilli(r.joined()), activity, r.id().equals(me) ? "  (this computer)" : "");
                    }
                }
            }
            return 0;
        });
    }
}
