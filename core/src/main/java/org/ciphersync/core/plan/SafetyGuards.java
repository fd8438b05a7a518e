package org.ciphersync.core.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ciphersync.core.inventory.NodeInventory;

/**
 * Refusals that protect against the classic disasters of synchronizers (an unmounted disk seen as
 * an empty folder, a wrong folder chosen as source): pure checks on the plan and inventories,
 * bypassed only by an explicit force.
 */
public final class SafetyGuards {
    private SafetyGuards() {
    }

    /**
     * Both guards, as every synchronization applies them unless the person forces the run: the empty-node
     * guard, then the mass-delete guard.
     */
    public static void check(Plan plan, List<NodeInventory> inventories, double maxShare, int minItems) throws SyncRefusedException {
        checkEmptyNodes(plan, inventories);
        checkMassDelete(plan, inventories, maxShare, minItems);
    }

    /**
     * Refuses when the plan deletes anything while some node is completely empty and another is
     * not (the empty node is probably not the folder the user meant, or a disk is not mounted).
     */
    public static void checkEmptyNodes(Plan plan, List<NodeInventory> inventories) throws SyncRefusedException {
        boolean deletes = plan.actions().stream().anyMatch(a -> a.type() == ActionType.DELETE);
        if (!deletes) {
            return;
        }
        List<String> empty = new ArrayList<>();
        boolean someFull = false;
        for (NodeInventory inv : inventories) {
            if (inv.entries().isEmpty()) {
                empty.add(inv.nodeId());
            } else {
                someFull = true;
            }
        }
        if (!empty.isEmpty() && someFull) {
            throw new SyncRefusedException(SyncRefusedException.Reason.SOURCE_EMPTY,
                    "node(s) " + String.join(", ", empty) + " are empty and the plan would delete items on other nodes;"
                            + " check that the folder is the right one (and its disk mounted), or run with --force",
                    empty.stream().map(n -> n + ": empty").toList());
        }
    }

    /**
     * Refuses when the plan deletes more than {@code maxShare} (0..1) of a node's items and at
     * least {@code minItems} of them.
     */
    public static void checkMassDelete(Plan plan, List<NodeInventory> inventories, double maxShare, int minItems)
            throws SyncRefusedException {
        if (!(maxShare >= 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("max delete share " + maxShare + " is not within 0..1");
        }
        Map<String, Integer> deletes = new HashMap<>();
        for (PlannedAction a : plan.actions()) {
            if (a.type() == ActionType.DELETE) {
                deletes.merge(a.targetNode(), 1, Integer::sum);
            }
        }
        List<String> culprits = new ArrayList<>();
        for (NodeInventory inv : inventories) {
            int d = deletes.getOrDefault(inv.nodeId(), 0);
            int total = inv.entries().size();
            if (d >= minItems && total > 0 && d > maxShare * total) {
                culprits.add(String.format("%s: %d of %d items (%.0f %%)", inv.nodeId(), d, total, 100.0 * d / total));
            }
        }
        if (!culprits.isEmpty()) {
            throw new SyncRefusedException(SyncRefusedException.Reason.MASS_DELETE,
                    "the plan deletes more than " + Math.round(maxShare * 100) + " % of "
                            + String.join("; ", culprits) + "; review it with --dry-run, then run with --force"
                            + " (deleted files are kept in .ciphersync/versions)",
                    culprits);
        }
    }
}
