package org.ciphersync.cli.vault;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.sync.ItemFailure;
import org.ciphersync.vault.sync.Restore;
import org.ciphersync.vault.sync.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault restore --at TIME|ID PATH…}: an older version into a target folder. */
@Command(name = "restore", description = {"Restores PATHs (all when none) as they were at a point in time into a target folder;",
        "your files are not touched. Home paths land in TARGET/home/…, others in TARGET/root/…."},
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class RestoreCommand implements Callable<Integer> {
    @Option(names = "--at", required = true, paramLabel = "TIME|ID", description = "latest, a commit id from 'vault log', or a time (2026-11-21T10:15:00, 2026-11-21)")
    String at;

    @Option(names = "--target", paramLabel = "DIR", description = "where to write (default: ./ciphersync-restore)")
    Path target;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "paths or globs to restore")
    List<String> paths;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "files", description = "namespace (default: ${DEFAULT-VALUE})")
    String namespace;

    @Mixin
    VaultOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return VaultContext.run(() -> {
            VaultContext ctx = new VaultContext(options, spec);
            Path dest = (target != null ? target : Path.of("ciphersync-restore")).toAbsolutePath();
            Restore.Result r;
            try (VaultSetup.Opened o = ctx.open()) {
                r = Restore.run(o.repo(), namespace, at, Selection.of(paths, o.computer().home(), Path.of("").toAbsolutePath()), dest);
            }
            for (ItemFailure f : r.failures()) {
                if (ctx.events != null) {
                    ctx.events.event("failure").put("path", f.path()).put("message", f.message()).emit();
                } else {
                    ctx.err.println("ciphersync: " + f.path() + ": " + f.message());
                }
            }
            if (ctx.events != null) {
                ctx.events.event("restored").put("at", Instant.ofEpochMilli(r.time()).toString()).put("target", dest.toString())
                        .put("files", r.restored()).emit();
            } else {
                ctx.out.println("Restored " + r.restored().size() + " items as of " + Instant.ofEpochMilli(r.time()) + " into " + dest);
            }
            return r.failures().stream().anyMatch(ItemFailure::integrity) ? 5 : r.failures().isEmpty() ? 0 : 1;
        });
    }
}
