package org.ciphersync.cli.vault;

import java.util.List;
import java.util.concurrent.Callable;
import org.ciphersync.vault.check.CheckReport;
import org.ciphersync.vault.check.VaultCheck;
import org.ciphersync.vault.setup.VaultSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault check [--read-data[=SUBSET]]}. */
@Command(name = "check", description = {"Verifies the vault's structure; with --read-data also reads and verifies the data",
        "(SUBSET: all, N/M or P%). Exit 5 when anything is wrong."},
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class CheckCommand implements Callable<Integer> {
    @Option(names = "--read-data", arity = "0..1", fallbackValue = "all", paramLabel = "SUBSET",
            description = "also read packs: all (default), N/M (one M-th) or P%")
    String readData;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "files", split = ",",
            description = "namespaces to check (default: ${DEFAULT-VALUE})")
    List<String> namespaces;

    @Mixin
    VaultOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return VaultContext.run(() -> {
            VaultContext ctx = new VaultContext(options, spec);
            CheckReport r;
            try (VaultSetup.Opened o = ctx.open()) {
                r = VaultCheck.run(o.repo(), namespaces, readData);
            }
            if (ctx.events != null) {
                for (String e : r.errors()) {
                    ctx.events.event("error").put("message", e).emit();
                }
                ctx.events.event("summary").put("ok", r.ok()).put("commits", r.commits()).put("indexObjects", r.indexObjects())
                        .put("packs", r.packs()).put("packsRead", r.packsRead()).put("blobsRead", r.blobsRead())
                        .put("unreferenced", r.unreferenced()).put("checkpoints", r.checkpoints()).put("resumable", r.resumable())
                        .emit();
            } else {
                r.errors().forEach(e -> ctx.out.println("error: " + e));
                ctx.out.printf("%d commits, %d index objects, %d packs (%d read, %d blobs verified), %d unreferenced objects%n",
                        r.commits(), r.indexObjects(), r.packs(), r.packsRead(), r.blobsRead(), r.unreferenced());
                if (r.checkpoints() > 0) {
                    ctx.out.printf("%d checkpoints of interrupted up-syncs keep %d packs for resuming (the next up-sync of their"
                            + " computer continues from them)%n", r.checkpoints(), r.resumable());
                }
                ctx.out.println(r.ok() ? "No errors were found." : r.errors().size() + " problems found.");
            }
            return r.ok() ? 0 : 5;
        });
    }
}
