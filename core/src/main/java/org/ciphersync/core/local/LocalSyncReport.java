package org.ciphersync.core.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ciphersync.core.apply.ApplyReport;
import org.ciphersync.core.apply.ItemResult;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.inventory.Skipped;
import org.ciphersync.core.plan.ActionType;
import org.ciphersync.core.plan.Plan;

/**
 * What a local synchronization did (or, for a dry run, would do).
 *
 * @param nodeSetId        identifies the set of folders (names the two-way state files)
 * @param comparison       the comparison the plan was made from
 * @param plan             the plan (printed by {@code --dry-run})
 * @param dryRun           whether nothing was written
 * @param apply            per-item results and bytes written; null for a dry run
 * @param skipped          per node: entries left out by the scan or the comparison
 * @param tempFilesRemoved leftover temporary files of earlier runs that were removed
 * @param versionsPruned   versions deleted by the retention setting
 * @param warnings         non-fatal problems (state or versions that could not be saved/pruned, …)
 * @param durations        time spent per phase
 */
public record LocalSyncReport(String nodeSetId, Comparison comparison, Plan plan, boolean dryRun, ApplyReport apply,
                              Map<String, List<Skipped>> skipped, int tempFilesRemoved, int versionsPruned,
                              List<String> warnings, Map<SyncListener.Phase, Duration> durations) {
    public LocalSyncReport {
        warnings = List.copyOf(warnings);
        durations = Map.copyOf(durations);
        skipped = Map.copyOf(skipped);
    }

    /** Planned actions per type. */
    public Map<ActionType, Integer> planned() {
        return plan.countsByType();
    }

    /** Items that did not succeed, with messages that say what to do. */
    public List<ItemResult> problems() {
        return apply == null ? List.of() : apply.results().stream().filter(r -> !r.ok()).toList();
    }

    /**
     * Whether everything planned was done and the scan left out nothing it should have read (an
     * unreadable file, say; special files and links are left out by policy). True for dry runs.
     */
    public boolean complete() {
        return apply == null || apply.allOk() && skipped.values().stream().flatMap(List::stream).noneMatch(Skipped::isProblem);
    }
}
