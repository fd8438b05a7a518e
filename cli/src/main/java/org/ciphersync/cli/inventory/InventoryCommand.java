package org.ciphersync.cli.inventory;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ciphersync.cli.CliException;
import org.ciphersync.cli.ExitCode;
import org.ciphersync.cli.output.JsonEvents;
import org.ciphersync.cli.output.ProgressLine;
import org.ciphersync.cli.output.Units;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.fs.LocalFileTree;
import org.ciphersync.core.inventory.DataSource;
import org.ciphersync.core.inventory.Inventory;
import org.ciphersync.core.inventory.InventoryListener;
import org.ciphersync.core.inventory.InventoryResult;
import org.ciphersync.core.inventory.InventoryStats;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.inventory.Skipped;
import org.ciphersync.core.inventory.FileInventoryCache;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.settings.SyncSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ciphersync inventory DIR…}: the Data Inventory (S8) alone, with its statistics. */
@Command(name = "inventory", sortOptions = false,
        description = {"Scans folders and fingerprints their files (content-defined chunks and hashes),",
                "reusing the inventory cache for files whose size, date and inode are unchanged."})
public final class InventoryCommand implements Callable<Integer> {
    @Parameters(arity = "1..5", paramLabel = "DIR")
    List<Path> folders;

    @Option(names = "--checksum", description = "fingerprint every file (default: smart mode, only where needed)")
    boolean checksum;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "leave out matching files and folders (repeatable)")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--list", description = "print every entry (path, type, size, content hash)")
    boolean list;

    @Option(names = "--json", description = "JSON events on standard output")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<DataSource> sources = new ArrayList<>();
        char id = 'A';
        for (Path f : folders) {
            if (!Files.isDirectory(f)) {
                throw new CliException(ExitCode.USAGE, "not a folder: " + f);
            }
            sources.add(DataSource.directory(String.valueOf(id++), new LocalFileTree(f.toAbsolutePath().normalize())));
        }
        SyncSettings settings = SyncSettings.defaults().withExcludeGlobs(excludes)
                .withAnalysis(checksum ? SyncSettings.AnalysisMode.CHECKSUM : SyncSettings.AnalysisMode.SMART);
        InventoryResult result;
        try (FileInventoryCache cache = new FileInventoryCache(FileInventoryCache.defaultDirectory());
             ProgressLine progress = new ProgressLine(spec.commandLine().getErr(), !json && System.console() != null)) {
            long[] totals = {-1, -1};
            long[] done = {0, 0};
            InventoryListener l = new InventoryListener() {
                @Override
                public void hashingStarted(long files, long bytes) {
                    totals[0] = files;
                    totals[1] = bytes;
                }

                @Override
                public synchronized void fileHashed(String nodeId, RelPath path, long bytes) {
                    progress.progress("inventory", ++done[0], totals[0], done[1] += bytes, totals[1]);
                }
            };
            result = new Inventory(new Inventory.Options(ChunkerParams.SYNC,
                    Math.max(1, Runtime.getRuntime().availableProcessors()))).run(sources, settings, cache, l);
        }
        InventoryStats s = result.stats();
        double secs = Math.max(1e-9, s.elapsedNanos() / 1e9);
        if (json) {
            JsonEvents events = new JsonEvents(out);
            for (NodeInventory n : result.nodes()) {
                if (list) {
                    n.entries().forEach(e -> events.event("entry").put("node", n.nodeId()).put("path", e.path().value())
                            .put("type", e.type().name().toLowerCase(Locale.ROOT)).put("size", e.size())
                            .put("hash", e.fingerprint() == null ? null : e.fingerprint().fileHashHex()).emit());
                }
                for (Skipped k : n.skipped()) {
                    events.event("skipped").put("node", n.nodeId()).put("path", k.path())
                            .put("reason", k.reason().name().toLowerCase(Locale.ROOT)).put("detail", k.detail()).emit();
                }
            }
            events.event("summary").put("files", s.files()).put("directories", s.directories()).put("bytes", s.bytes())
                    .put("hashedFiles", s.hashedFiles()).put("hashedBytes", s.hashedBytes()).put("cacheHits", s.cacheHits())
                    .put("skipped", s.skipped()).put("elapsedMs", s.elapsedNanos() / 1_000_000).emit();
        } else {
            for (NodeInventory n : result.nodes()) {
                if (list) {
                    n.entries().forEach(e -> out.printf("%s %-9s %12d %s %s%n", n.nodeId(), e.type().name().toLowerCase(Locale.ROOT),
                            e.size(), e.fingerprint() == null ? "-".repeat(16) : e.fingerprint().fileHashHex().substring(0, 16), e.path()));
                }
                for (Skipped k : n.skipped()) {
                    out.println("skipped " + n.nodeId() + ": " + k.path() + " (" + k.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                            + (k.detail().isEmpty() ? "" : ": " + k.detail()) + ")");
                }
            }
            out.printf(Locale.ROOT, "%d files, %d folders, %s; fingerprinted %d files (%s, %s/s), %d from cache, %d skipped, in %.2f s%n",
                    s.files(), s.directories(), Units.bytes(s.bytes()), s.hashedFiles(), Units.bytes(s.hashedBytes()),
                    Units.bytes((long) (s.hashedBytes() / secs)), s.cacheHits(), s.skipped(), secs);
        }
        return ExitCode.OK.code();
    }
}
