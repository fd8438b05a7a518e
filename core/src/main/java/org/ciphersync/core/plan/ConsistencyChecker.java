package org.ciphersync.core.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ciphersync.core.compare.ComparisonRow;
import org.ciphersync.core.inventory.InventoryEntry;

/**
 * Refuses contradictory plans, with a reason per item (S10). Checks, for concrete actions:
 * <ol>
 *   <li>two different actions change the same item on the same node (e.g. copies from two sources);</li>
 *   <li>an item is deleted on a node that is also the source of a copy of it or of something below it;</li>
 *   <li>something is written below a directory that is being deleted on that node;</li>
 *   <li>a directory is copied onto a file (create the directory instead, which keeps the file as a version);</li>
 *   <li>something is written below a path that is a file on that node and stays one.</li>
 * </ol>
 * Pure function on values.
 */
public final class ConsistencyChecker {
    private ConsistencyChecker() {
    }

    private record Slot(String node, String key) {
    }

    static List<Inconsistency> check(PlanContext ctx, List<PlannedAction> actions) {
        Set<Inconsistency> out = new LinkedHashSet<>();
        Map<Slot, List<PlannedAction>> writes = new LinkedHashMap<>();
        Map<Slot, PlannedAction> deletes = new HashMap<>();
        Map<Slot, PlannedAction> dirsMade = new HashMap<>();
        for (PlannedAction a : actions) {
            String key = a.type() == ActionType.KEEP_AS_CONFLICT ? ctx.key(a.targetPath()) : a.key();
            writes.computeIfAbsent(new Slot(a.targetNode(), key), k -> new ArrayList<>()).add(a);
            if (a.type() == ActionType.DELETE) {
                deletes.put(new Slot(a.targetNode(), a.key()), a);
            }
            if (a.type() == ActionType.CREATE_DIRECTORY) {
                dirsMade.put(new Slot(a.targetNode(), a.key()), a);
            }
        }
        // 1. one writer per item and node
        for (Map.Entry<Slot, List<PlannedAction>> e : writes.entrySet()) {
            List<PlannedAction> as = e.getValue();
            if (as.size() > 1) {
                List<String> what = new ArrayList<>();
                for (PlannedAction a : as) {
                    what.add(a.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                            + (a.sourceNode() != null ? " from " + a.sourceNode() : "") + " (" + a.origin() + ")");
                }
                out.add(new Inconsistency(as.getFirst().targetPath(), as.size() + " actions change it on "
                        + e.getKey().node() + ": " + String.join(", ", what)));
            }
        }
        for (PlannedAction a : actions) {
            // 2. deleting a copy source (or an ancestor of one)
            if (a.sourceNode() != null && a.type().needsSource()) {
                String srcKey = a.type() == ActionType.KEEP_AS_CONFLICT ? a.key() : a.key();
                for (String k = srcKey; k != null; k = ctx.parentKey(k)) {
                    PlannedAction d = deletes.get(new Slot(a.sourceNode(), k));
                    if (d != null && !(a.type() == ActionType.KEEP_AS_CONFLICT)) {
                        out.add(new Inconsistency(a.source().path(), "deleted on " + a.sourceNode() + " (" + d.origin()
                                + ") while it is the source of " + a.type().name().toLowerCase(java.util.Locale.ROOT)
                                + " to " + a.targetNode() + " (" + a.origin() + ")"));
                        break;
                    }
                }
            }
            if (a.type() == ActionType.DELETE) {
                continue;
            }
            String key = a.type() == ActionType.KEEP_AS_CONFLICT ? ctx.key(a.targetPath()) : a.key();
            // 3. writing below a directory being deleted
            for (String k = ctx.parentKey(key); k != null; k = ctx.parentKey(k)) {
                PlannedAction d = deletes.get(new Slot(a.targetNode(), k));
                if (d != null) {
                    out.add(new Inconsistency(a.targetPath(), a.type().name().toLowerCase(java.util.Locale.ROOT)
                            + " on " + a.targetNode() + " (" + a.origin() + ") into " + d.targetPath()
                            + ", which is being deleted there (" + d.origin() + ")"));
                    break;
                }
            }
            // 4. directory onto a file
            if ((a.type() == ActionType.COPY || a.type() == ActionType.COPY_CONTENT) && a.source() != null
                    && a.source().isDirectory() && a.expectedTarget() != null && !a.expectedTarget().isDirectory()) {
                out.add(new Inconsistency(a.targetPath(), "copy of a directory from " + a.sourceNode()
                        + " onto a file on " + a.targetNode() + " (" + a.origin()
                        + "); use 'create directory', which keeps the file in the versions area"));
            }
            // 5. a parent that is a file on the target and stays one
            for (String k = ctx.parentKey(key); k != null; k = ctx.parentKey(k)) {
                ComparisonRow pr = ctx.rows.get(k);
                if (pr == null) {
                    continue;
                }
                InventoryEntry pe = pr.cell(a.targetNode()).entry();
                if (pe != null && !pe.isDirectory()) {
                    PlannedAction made = dirsMade.get(new Slot(a.targetNode(), k));
                    if (made == null) {
                        out.add(new Inconsistency(a.targetPath(), a.type().name().toLowerCase(java.util.Locale.ROOT)
                                + " on " + a.targetNode() + " (" + a.origin() + "), but " + pe.path()
                                + " is a file there and no action turns it into a directory"));
                    }
                    break;
                }
            }
        }
        return new ArrayList<>(out);
    }
}
