package org.ciphersync.cli.vault;

import java.util.List;
import java.util.concurrent.Callable;
import org.ciphersync.cli.output.ProgressLine;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.sync.DownSync;
import org.ciphersync.vault.sync.ItemFailure;
import org.ciphersync.vault.sync.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault down}: down-sync, selective with {@code --only}. */
@Command(name = "down", description = {"Down-syncs: restores new items, overwrites unchanged ones with newer versions, deletes",
        "what was deleted elsewhere, and keeps both copies of conflicts. Replaced and deleted files go to the",
        "versions area. Refused (exit 3) when the data was up-synced by another user name (setting",
        "allow-other-user) or when it would delete many files (mass-delete guard)."},
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class DownCommand implements Callable<Integer> {
    @Option(names = "--only", paramLabel = "PATH|GLOB", description = "restore only these paths (and what is below them) or globs")
    List<String> only;

    @Option(names = "--dry-run", description = "show what would be done and change nothing (same as 'vault preview')")
    boolean dryRun;

    @Option(names = "--allow-mass-delete", description = "override the mass-delete guard for this run")
    boolean allowMassDelete;

    @Option(names = "--allow-other-user", description = "allow data up-synced under another user name, for this run")
    boolean allowOtherUser;

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
            DownSync.Result r;
            boolean tty = !options.json && System.console() != null;
            try (VaultSetup.Opened o = ctx.open(); ProgressLine bar = new ProgressLine(ctx.err, tty)) {
                r = DownSync.run(o.repo(), o.computer(), new DownSync.Options(namespace, only, dryRun, allowMassDelete, allowOtherUser),
                        new Progress() {
                            @Override
                            public void applied(long done, long total) {
                                bar.progress("down-sync", done, total, 0, -1);
                            }
                        });
            }
            PreviewCommand.print(ctx, r.plan(), dryRun);
            for (ItemFailure f : r.failures()) {
                if (ctx.events != null) {
                    ctx.events.event("failure").put("path", f.path()).put("message", f.message()).emit();
                } else {
                    ctx.err.println("ciphersync: " + f.path() + ": " + f.message());
                }
            }
            if (ctx.events != null) {
                ctx.events.event("result").put("applied", r.applied()).put("failed", r.failures().size())
                        .put("versions", r.versionsDir()).put("dryRun", dryRun).emit();
            } else if (!dryRun) {
                ctx.out.println(r.applied() + " of " + r.plan().size() + " items applied"
                        + (r.versionsDir() != null ? "; replaced and deleted files are in " + r.versionsDir() : ""));
            }
            if (r.failures().stream().anyMatch(ItemFailure::integrity)) {
                return 5;
            }
            return r.failures().isEmpty() ? 0 : 1;
        });
    }
}
