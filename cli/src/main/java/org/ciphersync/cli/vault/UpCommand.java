package org.ciphersync.cli.vault;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ciphersync.cli.output.ProgressLine;
import org.ciphersync.cli.output.Units;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.sync.ItemFailure;
import org.ciphersync.vault.sync.Progress;
import org.ciphersync.vault.sync.UpSync;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault up [--namespace NAME] PATH…}: up-sync of new and changed data. */
@Command(name = "up", description = {"Up-syncs PATHs: stores new and changed data only and records a point in time.",
        "Paths inside your home are stored relative to it and restored into the receiving user's home."},
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class UpCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "files or folders to up-sync")
    List<Path> paths;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "files",
            description = "the data category or application namespace (default: ${DEFAULT-VALUE})")
    String namespace;

    @Mixin
    VaultOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return VaultContext.run(() -> {
            VaultContext ctx = new VaultContext(options, spec);
            boolean tty = !options.json && System.console() != null;
            UpSync.Summary s;
            try (VaultSetup.Opened o = ctx.open(); ProgressLine bar = new ProgressLine(ctx.err, tty)) {
                long[] up = {0};
                Progress p = new Progress() {
                    @Override
                    public void scanned(long files, long bytes) {
                        bar.progress("up-sync", files, -1, bytes, -1);
                    }

                    @Override
                    public void uploaded(long bytes) {
                        up[0] = bytes;
                    }
                };
                s = UpSync.run(o.repo(), o.computer(), namespace, paths, p);
            }
            if (ctx.events != null) {
                for (ItemFailure f : s.failures()) {
                    ctx.events.event("failure").put("path", f.path()).put("message", f.message()).emit();
                }
                ctx.events.event("summary").put("files", s.files()).put("bytes", s.bytes()).put("new", s.newFiles())
                        .put("changed", s.changedFiles()).put("removed", s.removedFiles()).put("newBytes", s.newBytes())
                        .put("changedBytes", s.changedBytes()).put("uploadedBytes", s.uploadedBytes()).put("packs", s.packs())
                        .put("folders", s.folders().seen()).put("newFolders", s.folders().added())
                        .put("changedFolders", s.folders().changed()).put("removedFolders", s.folders().removed())
                        .put("commit", s.commit()).emit();
            } else {
                for (ItemFailure f : s.failures()) {
                    ctx.err.println("ciphersync: " + f.path() + ": " + f.message());
                }
                ctx.out.printf("%d files (%s): %d new (%s), %d changed (%s), %d removed; %s uploaded in %d packs%n",
                        s.files(), Units.bytes(s.bytes()), s.newFiles(), Units.bytes(s.newBytes()), s.changedFiles(),
                        Units.bytes(s.changedBytes()), s.removedFiles(), Units.bytes(s.uploadedBytes()), s.packs());
                ctx.out.printf("%d folders: %d new, %d changed, %d removed%n", s.folders().seen(), s.folders().added(),
                        s.folders().changed(), s.folders().removed());
                ctx.out.println(s.commit() == null ? "Nothing changed; no point in time recorded."
                        : "Recorded point in time " + s.commit() + ".");
            }
            return s.failures().isEmpty() ? 0 : 1;
        });
    }
}
