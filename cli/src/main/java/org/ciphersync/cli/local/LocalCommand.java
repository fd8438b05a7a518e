package org.ciphersync.cli.local;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ciphersync.cli.CliException;
import org.ciphersync.cli.ExitCode;
import org.ciphersync.cli.output.JsonEvents;
import org.ciphersync.cli.output.ProgressLine;
import org.ciphersync.cli.output.Units;
import org.ciphersync.core.apply.ItemResult;
import org.ciphersync.core.compare.Cell;
import org.ciphersync.core.compare.ComparisonFilter;
import org.ciphersync.core.compare.ComparisonRow;
import org.ciphersync.core.local.LocalSync;
import org.ciphersync.core.local.LocalSyncOptions;
import org.ciphersync.core.local.LocalSyncReport;
import org.ciphersync.core.local.SyncListener;
import org.ciphersync.core.local.SyncMode;
import org.ciphersync.core.plan.ActionType;
import org.ciphersync.core.plan.PlannedAction;
import org.ciphersync.core.plan.RulesFile;
import org.ciphersync.core.plan.SyncRefusedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ciphersync local DIR DIR [DIR…]}: Local Synchronization (S12) between 2–5 folders. */
@Command(name = "local", sortOptions = false,
        description = {"Synchronizes 2 to 5 folders of this machine (A is the first).",
                "Runs inventory, comparison, plan and synchronization; overwritten and deleted files are",
                "kept in each folder's .ciphersync/versions area."},
        footer = {"", "Exit codes: 0 all synchronized, 1 some items failed, 2 usage error, 3 refused by a",
                "safety guard (nothing changed), 7 local I/O error. See the README."})
public final class LocalCommand implements Callable<Integer> {

    @Parameters(arity = "2..5", paramLabel = "DIR", description = "the folders: A (first), B, … up to E")
    List<Path> folders;

    @Mixin
    SyncOptionsMixin sync;

    @Option(names = "--compare", description = "show the comparison (one row per item, one column per folder) and stop")
    boolean compareOnly;

    @Option(names = "--only-differences", description = "with --compare: only rows that differ")
    boolean onlyDifferences;

    @Option(names = "--path", paramLabel = "GLOB", description = "with --compare: only rows whose path matches")
    String pathGlob;

    @Option(names = "--present-on", paramLabel = "NODE", description = "with --compare: only items present on NODE")
    String presentOn;

    @Option(names = "--absent-on", paramLabel = "NODE", description = "with --compare: only items absent from NODE")
    String absentOn;

    @Option(names = "--json", description = "one JSON event per line on standard output, for scripts")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (Path f : folders) {
            if (!Files.isDirectory(f)) {
                throw new CliException(ExitCode.REFUSED, "folder not found or not a directory: " + f
                        + " (check the path, and that its disk is mounted; nothing was changed)");
            }
        }
        LocalSyncOptions options = sync.toOptions(compareOnly);
        JsonEvents events = json ? new JsonEvents(out) : null;
        boolean tty = !json && System.console() != null;
        LocalSyncReport report;
        try (ProgressLine progress = new ProgressLine(err, tty)) {
            SyncListener listener = new SyncListener() {
                @Override
                public void phase(Phase phase) {
                    progress.phase(phase.name());
                    if (events != null) {
                        events.event("phase").put("phase", phase.name().toLowerCase(Locale.ROOT)).emit();
                    }
                }

                @Override
                public void progress(Phase phase, long filesDone, long filesTotal, long bytesDone, long bytesTotal) {
                    progress.progress(phase.name(), filesDone, filesTotal, bytesDone, bytesTotal);
                }
            };
            report = LocalSync.run(folders.stream().map(p -> p.toAbsolutePath().normalize()).toList(), options, listener);
        } catch (SyncRefusedException e) {
            if (events != null) {
                events.event("refused").put("reason", e.reason().name().toLowerCase(Locale.ROOT))
                        .put("message", e.getMessage()).put("details", e.details()).emit();
            }
            throw new CliException(ExitCode.REFUSED, e.getMessage() + " (nothing was changed"
                    + (e.reason() == SyncRefusedException.Reason.MASS_DELETE
                    || e.reason() == SyncRefusedException.Reason.SOURCE_EMPTY ? "; --force overrides this guard)" : ")"));
        }
        if (compareOnly) {
            printComparison(report, out, events);
            return ExitCode.OK.code();
        }
        if (events != null) {
            emitJson(report, events);
        } else {
            printHuman(report, out);
        }
        return report.complete() ? ExitCode.OK.code() : ExitCode.PARTIAL.code();
    }

    private ComparisonFilter filter() {
        ComparisonFilter f = ComparisonFilter.ALL;
        if (onlyDifferences) f = f.withOnlyDifferences();
        if (pathGlob != null) f = f.withGlob(pathGlob);
        if (presentOn != null) f = f.withPresentOn(presentOn.toUpperCase(Locale.ROOT));
        if (absentOn != null) f = f.withAbsentOn(absentOn.toUpperCase(Locale.ROOT));
        return f;
    }

    private void printComparison(LocalSyncReport report, PrintWriter out, JsonEvents events) {
        List<ComparisonRow> rows = report.comparison().filter(filter());
        if (events != null) {
            for (ComparisonRow r : rows) {
                List<Map<String, Object>> cells = new ArrayList<>();
                for (Cell c : r.cells()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("node", c.nodeId());
                    m.put("present", c.present());
                    if (c.present()) {
                        m.put("type", c.entry().type().name().toLowerCase(Locale.ROOT));
                        m.put("size", c.entry().size());
                        m.put("mtime", java.time.Instant.ofEpochSecond(0, c.entry().mtimeNanos()).toString());
                        m.put("content", c.groupLabel());
                    }
                    cells.add(m);
                }
                events.event("row").put("path", r.path().value()).put("status", r.status().name().toLowerCase(Locale.ROOT))
                        .put("cells", cells).emit();
            }
            events.event("summary").put("rows", rows.size()).emit();
            return;
        }
        List<String> nodes = report.comparison().nodeIds();
        StringBuilder h = new StringBuilder(String.format("%-22s", "STATUS"));
        for (String n : nodes) {
            h.append(String.format("%-28s", n + " (content size date)"));
        }
        out.println(h.append("PATH"));
        for (ComparisonRow r : rows) {
            StringBuilder b = new StringBuilder(String.format("%-22s", r.status().name().toLowerCase(Locale.ROOT)));
            for (Cell c : r.cells()) {
                String cell = !c.present() ? "-" : c.entry().isDirectory() ? "dir"
                        : c.groupLabel() + " " + Units.bytes(c.entry().size()) + " "
                        + java.time.Instant.ofEpochSecond(0, c.entry().mtimeNanos()).toString().substring(0, 16);
                b.append(String.format("%-28s", cell));
            }
            out.println(b.append(r.path()));
        }
        out.println(rows.size() + " row(s)");
    }

    private void printHuman(LocalSyncReport report, PrintWriter out) {
        if (report.dryRun()) {
            out.println("Dry run: nothing was changed. The plan:");
            for (String line : report.plan().describe()) {
                out.println("  " + line);
            }
        }
        Map<ActionType, Integer> counts = report.planned();
        if (report.plan().isEmpty()) {
            out.println("Already in sync: nothing to do.");
        } else {
            StringBuilder b = new StringBuilder(report.dryRun() ? "Would do: " : "Planned: ");
            counts.forEach((t, n) -> b.append(n).append(' ').append(t.name().toLowerCase(Locale.ROOT)).append(", "));
            b.setLength(b.length() - 2);
            out.println(b);
        }
        if (report.apply() != null) {
            out.printf(Locale.ROOT, "Done: %d ok, %d skipped (changed since the inventory), %d failed; %s written in %s%n",
                    report.apply().count(ItemResult.Outcome.DONE), report.apply().count(ItemResult.Outcome.SKIPPED_CHANGED),
                    report.apply().count(ItemResult.Outcome.FAILED), Units.bytes(report.apply().bytesWritten()),
                    Units.duration(total(report)));
        }
        List<ItemResult> problems = report.problems();
        int shown = 0;
        for (ItemResult r : problems) {
            if (shown++ == 20) {
                out.println("  … and " + (problems.size() - 20) + " more (use --json for all)");
                break;
            }
            out.println("  " + r.outcome().name().toLowerCase(Locale.ROOT) + ": " + r.action().targetPath()
                    + " on " + r.action().targetNode() + ": " + r.message());
        }
        long skipped = report.skipped().values().stream().mapToLong(List::size).sum();
        if (skipped > 0) {
            out.println("Not synchronized (left out by the scan): " + skipped + " item(s)");
            report.skipped().forEach((node, list) -> list.stream().limit(10).forEach(s ->
                    out.println("  " + node + ": " + s.path() + " (" + s.describe() + ")")));
        }
        for (String w : report.warnings()) {
            out.println("warning: " + w);
        }
        if (!report.complete()) {
            out.println("Some items were not synchronized; fix what the messages say and run again (done items are not redone).");
        }
    }

    private static Duration total(LocalSyncReport r) {
        return r.durations().values().stream().reduce(Duration.ZERO, Duration::plus);
    }

    private void emitJson(LocalSyncReport report, JsonEvents events) {
        if (report.dryRun()) {
            for (PlannedAction a : report.plan().actions()) {
                events.event("planned").put("action", a.type().name().toLowerCase(Locale.ROOT))
                        .put("from", a.sourceNode()).put("to", a.targetNode()).put("path", a.targetPath().value())
                        .put("bytes", a.bytes()).emit();
            }
        }
        if (report.apply() != null) {
            for (ItemResult r : report.apply().results()) {
                events.event("item").put("action", r.action().type().name().toLowerCase(Locale.ROOT))
                        .put("from", r.action().sourceNode()).put("to", r.action().targetNode())
                        .put("path", r.action().targetPath().value())
                        .put("outcome", r.outcome().name().toLowerCase(Locale.ROOT))
                        .put("message", r.message()).put("bytes", r.bytesWritten()).emit();
            }
        }
        report.skipped().forEach((node, list) -> list.forEach(s -> events.event("skipped").put("node", node)
                .put("path", s.path()).put("reason", s.reason().name().toLowerCase(Locale.ROOT))
                .put("detail", s.detail()).emit()));
        Map<String, Integer> planned = new LinkedHashMap<>();
        report.planned().forEach((t, n) -> planned.put(t.name().toLowerCase(Locale.ROOT), n));
        Map<String, Long> durations = new LinkedHashMap<>();
        report.durations().forEach((p, d) -> durations.put(p.name().toLowerCase(Locale.ROOT), d.toMillis()));
        JsonEvents.Event summary = events.event("summary").put("dryRun", report.dryRun()).put("planned", planned)
                .put("complete", report.complete()).put("warnings", report.warnings()).put("durationsMs", durations);
        if (report.apply() != null) {
            summary.put("done", report.apply().count(ItemResult.Outcome.DONE))
                    .put("skippedChanged", report.apply().count(ItemResult.Outcome.SKIPPED_CHANGED))
                    .put("failed", report.apply().count(ItemResult.Outcome.FAILED))
                    .put("bytesWritten", report.apply().bytesWritten());
        }
        summary.emit();
    }

    /** Reads the rules file, mapping format errors to a usage error that names the problem. */
    static org.ciphersync.core.plan.RuleSet readRules(Path file) throws IOException {
        try {
            return RulesFile.read(file);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "rules file " + file + ": " + e.getMessage());
        }
    }
}
