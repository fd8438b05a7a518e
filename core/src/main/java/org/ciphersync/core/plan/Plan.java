package org.ciphersync.core.plan;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a run will do: concrete actions (any order; the apply orders them by phase), the items
 * left out of planning with the reason, and the contradictions the consistency checker found.
 *
 * @param nodeIds         the nodes, A first
 * @param actions         the steps (no {@link ActionType#DO_NOTHING})
 * @param notPlanned      items the planner left alone and why (skipped by a scan, links, …)
 * @param inconsistencies contradictions; a plan with any MUST NOT be applied
 */
public record Plan(List<String> nodeIds, List<PlannedAction> actions, List<Inconsistency> notPlanned,
                   List<Inconsistency> inconsistencies) {
    public Plan {
        nodeIds = List.copyOf(nodeIds);
        actions = List.copyOf(actions);
        notPlanned = List.copyOf(notPlanned);
        inconsistencies = List.copyOf(inconsistencies);
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }

    public boolean isConsistent() {
        return inconsistencies.isEmpty();
    }

    /** Throws {@link SyncRefusedException} (INCONSISTENT_PLAN) listing a reason per item. */
    public Plan requireConsistent() throws SyncRefusedException {
        if (!isConsistent()) {
            throw new SyncRefusedException(SyncRefusedException.Reason.INCONSISTENT_PLAN,
                    "the plan contradicts itself for " + inconsistencies.size()
                            + " item(s); change the rules or targeted actions for them and run again: "
                            + String.join("; ", inconsistencies.stream().limit(3).map(Inconsistency::toString).toList())
                            + (inconsistencies.size() > 3 ? "; …" : ""),
                    inconsistencies.stream().map(Inconsistency::toString).toList());
        }
        return this;
    }

    public Map<ActionType, Integer> countsByType() {
        Map<ActionType, Integer> m = new EnumMap<>(ActionType.class);
        for (PlannedAction a : actions) {
            m.merge(a.type(), 1, Integer::sum);
        }
        return m;
    }

    public long totalBytes() {
        long b = 0;
        for (PlannedAction a : actions) {
            b += a.bytes();
        }
        return b;
    }

    /** The plan as printable lines (for {@code --dry-run}). */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (PlannedAction a : actions) {
            out.add(a.describe());
        }
        for (Inconsistency i : notPlanned) {
            out.add(String.format("%-16s %-8s %s (%s)", "NOT_PLANNED", "", i.path(), i.reason()));
        }
        for (Inconsistency i : inconsistencies) {
            out.add(String.format("%-16s %-8s %s (%s)", "REFUSED", "", i.path(), i.reason()));
        }
        return out;
    }
}
