package org.ciphersync.cli.vault;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.sync.Action;
import org.ciphersync.vault.sync.DownSync;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault preview}: what a down-sync would do, relative to this computer's last synchronized state. */
@Command(name = "preview", description = {"Shows what a down-sync would restore, overwrite and delete, and which items conflict,",
        "relative to this computer's last synchronized state. Folders are shown with a trailing '/'. Changes nothing."},
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class PreviewCommand implements Callable<Integer> {
    @Option(names = "--only", paramLabel = "PATH|GLOB", description = "only these paths (and what is below them) or globs")
    List<String> only;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "files", description = "namespace (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--allow-other-user", description = "preview data up-synced under another user name")
    boolean allowOtherUser;

    @Mixin
    VaultOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return VaultContext.run(() -> {
            VaultContext ctx = new VaultContext(options, spec);
            List<Action> plan;
            try (VaultSetup.Opened o = ctx.open()) {
                plan = DownSync.preview(o.repo(), o.computer(), new DownSync.Options(namespace, only, true, true, allowOtherUser));
            }
            print(ctx, plan, true);
            return 0;
        });
    }

    static void print(VaultContext ctx, List<Action> plan, boolean summary) {
        Map<Action.Kind, Integer> counts = new EnumMap<>(Action.Kind.class);
        for (Action a : plan) {
            counts.merge(a.kind(), 1, Integer::sum);
            if (ctx.events != null) {
                ctx.events.event("item").put("action", a.kind().name().toLowerCase(Locale.ROOT)).put("path", a.path().toString())
                        .put("folder", a.folder()).put("size", a.resolution().winner().size()).put("reason", a.reason()).emit();
            } else if (a.kind() != Action.Kind.ADOPT) {
                ctx.out.printf("%-9s %s%s  (%s)%n", a.kind().name().toLowerCase(Locale.ROOT), a.path(), a.folder() ? "/" : "", a.reason());
            }
        }
        if (!summary) {
            return;
        }
        if (ctx.events != null) {
            var e = ctx.events.event("summary");
            for (Action.Kind k : Action.Kind.values()) {
                e.put(k.name().toLowerCase(Locale.ROOT), counts.getOrDefault(k, 0));
            }
            e.emit();
        } else {
            ctx.out.printf("%d to restore, %d to overwrite, %d to delete, %d conflicts, %d folders to update%n",
                    counts.getOrDefault(Action.Kind.RESTORE, 0), counts.getOrDefault(Action.Kind.OVERWRITE, 0),
                    counts.getOrDefault(Action.Kind.DELETE, 0), counts.getOrDefault(Action.Kind.CONFLICT, 0),
                    counts.getOrDefault(Action.Kind.UPDATE, 0));
        }
    }
}
