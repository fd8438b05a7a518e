package org.ciphersync.cli.vault;

import java.time.Instant;
import java.util.concurrent.Callable;
import org.ciphersync.cli.output.Units;
import org.ciphersync.vault.chain.Commit;
import org.ciphersync.vault.repo.LogEntry;
import org.ciphersync.vault.repo.VaultView;
import org.ciphersync.vault.setup.VaultSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault log}: the history; every up-sync is a point in time. */
@Command(name = "log", description = "Lists every up-sync of every computer, oldest first; each is a point in time for 'vault restore --at'.",
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class LogCommand implements Callable<Integer> {
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
            try (VaultSetup.Opened o = ctx.open()) {
                for (LogEntry e : VaultView.load(o.repo(), namespace).history()) {
                    Commit c = e.commit();
                    Commit.Stats s = c.stats();
                    if (ctx.events != null) {
                        ctx.events.event("commit").put("id", e.shortId()).put("time", Instant.ofEpochMilli(c.time()).toString())
                                .put("computer", c.computer().hex()).put("computerName", c.computerName()).put("user", c.user())
                                .put("roots", c.roots().stream().map(Object::toString).toList()).put("files", s.files())
                                .put("new", s.newFiles()).put("changed", s.changedFiles()).put("removed", s.removedFiles())
                                .put("uploadedBytes", s.uploadedBytes()).emit();
                    } else {
                        ctx.out.printf("%-12s %s  %-16s %-10s %d files, +%d ~%d -%d, %s uploaded%n", e.shortId(),
                                Instant.ofEpochMilli(c.time()), c.computerName(), c.user(), s.files(), s.newFiles(), s.changedFiles(),
                                s.removedFiles(), Units.bytes(s.uploadedBytes()));
                    }
                }
            }
            return 0;
        });
    }
}
