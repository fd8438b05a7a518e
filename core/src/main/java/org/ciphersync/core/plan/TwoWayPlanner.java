package org.ciphersync.core.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ciphersync.core.compare.Cell;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.compare.ComparisonRow;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.core.state.ItemState;
import org.ciphersync.core.state.NodeState;

/**
 * Two-way planning: a change on any node propagates to all; different changes on two nodes since
 * the last synchronization are a conflict in which no version is lost. A pure function on values.
 *
 * <p>Per item, each node's version is compared with that node's base (its last-synchronized
 * {@link ItemState}); differing means the node changed it (created, modified, deleted). Then:
 * <ul>
 *   <li>no node changed and all agree: nothing; no node changed but they disagree (no base yet,
 *       or an earlier run failed half-way): every node holding it counts as changed;</li>
 *   <li>all changing nodes agree (same content, or all deleted): that outcome goes to every node;</li>
 *   <li>a modification and a deletion: the modification wins (the deleted node gets it back);</li>
 *   <li>different contents: the winner is a directory if one is involved, else the newest
 *       modification time (ties: the earlier node). Each losing content is renamed on one node
 *       holding it to its {@link ConflictNames conflict name} and copied from there to every other
 *       node as a new item; the winner then goes to every node under the original name.</li>
 * </ul>
 * A directory is deleted only when nothing below it survives on any node (items processed deepest
 * first). Overwritten and deleted versions go to the versions area during apply, so every content
 * present before a run is present after it.
 */
public final class TwoWayPlanner {
    private TwoWayPlanner() {
    }

    public static Plan plan(Comparison comparison, SyncSettings settings, Map<String, NodeState> bases,
                            List<TargetedAction> targetedActions) {
        Objects.requireNonNull(bases, "bases == null");
        PlanContext ctx = new PlanContext(comparison, settings);
        List<String> nodes = comparison.nodeIds();
        Map<String, Map<String, ItemState>> base = new HashMap<>();
        for (String n : nodes) {
            Map<String, ItemState> m = new HashMap<>();
            NodeState s = bases.get(n);
            if (s != null) {
                s.items().forEach((p, st) -> m.put(ctx.key(p), st));
            }
            base.put(n, m);
        }
        Map<String, List<TargetedAction>> targeted = new HashMap<>();
        for (TargetedAction t : targetedActions) {
            targeted.computeIfAbsent(ctx.key(t.path()), k -> new ArrayList<>()).add(t);
        }
        Set<String> usedKeys = new HashSet<>(ctx.rows.keySet());
        Set<String> survivors = new HashSet<>(ctx.blockedAncestors());
        Set<PlannedAction> actions = new LinkedHashSet<>();
        List<Inconsistency> notPlanned = new ArrayList<>();
        List<Inconsistency> problems = new ArrayList<>();

        List<ComparisonRow> rows = new ArrayList<>(comparison.rows());
        rows.sort(Comparator.comparingInt((ComparisonRow r) -> depth(r.key())).reversed()
                .thenComparing(ComparisonRow::key));
        for (ComparisonRow row : rows) {
            String why = ctx.blocked(row);
            if (why != null) {
                if (row.status().isDifference()) {
                    notPlanned.add(new Inconsistency(row.path(), why));
                }
                markSurvivor(ctx, row.key(), survivors);
                continue;
            }
            List<TargetedAction> ts = targeted.remove(row.key());
            if (ts != null) {
                for (TargetedAction t : ts) {
                    RulePlanner.materialize(ctx, row, t.action(), null, "targeted", actions, problems);
                }
                boolean deletedAll = ts.stream().allMatch(t -> t.action().type() == ActionType.DELETE);
                if (!deletedAll) {
                    markSurvivor(ctx, row.key(), survivors);
                }
                continue;
            }
            planRow(ctx, row, base, survivors, usedKeys, actions);
        }
        targeted.forEach((k, ts) -> ts.forEach(t -> problems.add(new Inconsistency(t.path(),
                "targeted action names an item that no node has (or that was left out)"))));
        List<PlannedAction> list = new ArrayList<>(actions);
        problems.addAll(ConsistencyChecker.check(ctx, list));
        return new Plan(nodes, list, notPlanned, problems);
    }

    private static int depth(String key) {
        int d = 0;
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) == '/') {
                d++;
            }
        }
        return d;
    }

    private static void markSurvivor(PlanContext ctx, String key, Set<String> survivors) {
        for (String k = ctx.parentKey(key); k != null && survivors.add(k); k = ctx.parentKey(k)) {
            // every ancestor must stay a directory
        }
    }

    private static void planRow(PlanContext ctx, ComparisonRow row, Map<String, Map<String, ItemState>> base,
                                Set<String> survivors, Set<String> usedKeys, Set<PlannedAction> out) {
        List<Cell> cells = row.cells();
        int n = cells.size();
        boolean[] changed = new boolean[n];
        boolean anyChanged = false;
        for (int i = 0; i < n; i++) {
            Cell c = cells.get(i);
            ItemState b = base.get(c.nodeId()).get(row.key());
            changed[i] = b == null ? c.present() : !b.matches(c.entry());
            anyChanged |= changed[i];
        }
        if (!anyChanged) {
            if (agree(cells)) {
                if (cells.getFirst().present()) {
                    markSurvivor(ctx, row.key(), survivors);
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                changed[i] = cells.get(i).present();
            }
        }
        // distinct present versions among the changed nodes, in node order
        List<Integer> holders = new ArrayList<>(); // first node of each distinct group
        for (int i = 0; i < n; i++) {
            Cell c = cells.get(i);
            if (changed[i] && c.present() && holders.stream().noneMatch(h -> cells.get(h).contentGroup() == c.contentGroup())) {
                holders.add(i);
            }
        }
        boolean mustBeDirectory = survivors.contains(row.key());
        if (holders.isEmpty()) {
            int w = mustBeDirectory ? firstDirectory(cells) : -1;
            if (w >= 0) {
                // deleted, but something below survives: keep the directory everywhere
                propagateExcept(ctx, row, w, Set.of(), out, "two-way: keeps a folder whose contents changed elsewhere");
                markSurvivor(ctx, row.key(), survivors);
                return;
            }
            for (Cell c : cells) {
                if (c.present()) {
                    out.add(new PlannedAction(row.key(), ActionType.DELETE, null, null, c.nodeId(),
                            c.entry().path(), c.entry(), "two-way: deleted elsewhere"));
                }
            }
            return;
        }
        markSurvivor(ctx, row.key(), survivors);
        int winner = holders.getFirst();
        for (int h : holders) {
            InventoryEntry e = cells.get(h).entry();
            InventoryEntry w = cells.get(winner).entry();
            boolean better = e.isDirectory() && !w.isDirectory()
                    || e.isDirectory() == w.isDirectory() && e.mtimeNanos() > w.mtimeNanos();
            if (better) {
                winner = h;
            }
        }
        List<Integer> losers = new ArrayList<>(holders);
        losers.remove(Integer.valueOf(winner));
        if (mustBeDirectory && !cells.get(winner).entry().isDirectory()) {
            // a file replaced a folder whose contents changed elsewhere: the folder stays, the file
            // becomes a conflict copy
            int d = firstDirectory(cells);
            if (d >= 0) {
                losers = new ArrayList<>(holders);
                winner = d;
            }
        }
        Set<String> renamedOn = new HashSet<>();
        for (int h : losers) {
            Cell loser = cells.get(h);
            InventoryEntry le = loser.entry();
            if (le.isDirectory()) {
                continue; // cannot happen: a directory always wins against a file
            }
            String name = null;
            String key = null;
            for (int attempt = 1; attempt < 1000; attempt++) {
                name = ConflictNames.of(le.path().name(), loser.nodeId(), le.mtimeNanos(), attempt);
                RelPath cp = parentOf(le.path()).resolve(name);
                key = ctx.key(cp);
                if (usedKeys.add(key)) {
                    break;
                }
            }
            RelPath conflictPath = parentOf(le.path()).resolve(name);
            out.add(new PlannedAction(row.key(), ActionType.KEEP_AS_CONFLICT, loser.nodeId(), le, loser.nodeId(),
                    conflictPath, null, "two-way: conflict, " + loser.nodeId() + "'s version kept as " + name));
            renamedOn.add(loser.nodeId());
            InventoryEntry moved = new InventoryEntry(conflictPath, le.type(), le.size(), le.mtimeNanos(),
                    le.posixMode(), le.fileKey(), le.fingerprint());
            RelPath display = parentOf(row.path()).resolve(name);
            for (Cell c : cells) {
                if (!c.nodeId().equals(loser.nodeId())) {
                    out.add(new PlannedAction(key, ActionType.COPY, loser.nodeId(), moved, c.nodeId(),
                            ctx.childPath(key, display, c.nodeId()), null, "two-way: conflict copy from " + loser.nodeId()));
                }
            }
        }
        String origin = !losers.isEmpty() ? "two-way: conflict, newest version from " + cells.get(winner).nodeId()
                : "two-way: changed on " + cells.get(winner).nodeId();
        propagateExcept(ctx, row, winner, renamedOn, out, origin);
    }

    private static RelPath parentOf(RelPath p) {
        RelPath parent = p.parent();
        return parent == null ? RelPath.ROOT : parent;
    }

    private static boolean agree(List<Cell> cells) {
        Cell first = cells.getFirst();
        for (Cell c : cells) {
            if (c.present() != first.present() || c.contentGroup() != first.contentGroup()) {
                return false;
            }
        }
        return true;
    }

    private static int firstDirectory(List<Cell> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).present() && cells.get(i).entry().isDirectory()) {
                return i;
            }
        }
        return -1;
    }

    /** Brings the winner's version to every node that lacks it; {@code renamedOn} nodes hold nothing at the name any more. */
    private static void propagateExcept(PlanContext ctx, ComparisonRow row, int winner, Set<String> renamedOn,
                                        Set<PlannedAction> out, String origin) {
        Cell w = row.cells().get(winner);
        InventoryEntry we = w.entry();
        for (Cell c : row.cells()) {
            if (c == w) {
                continue;
            }
            boolean renamed = renamedOn.contains(c.nodeId());
            InventoryEntry expected = renamed ? null : c.entry();
            if (!renamed && c.present() && c.contentGroup() == w.contentGroup()) {
                continue; // already equal (dates may differ: two-way leaves them)
            }
            RelPath target = ctx.targetPath(row, c.nodeId());
            if (we.isDirectory()) {
                out.add(new PlannedAction(row.key(), ActionType.CREATE_DIRECTORY, w.nodeId(), we, c.nodeId(),
                        target, expected, origin));
            } else {
                out.add(new PlannedAction(row.key(), ActionType.COPY, w.nodeId(), we, c.nodeId(), target, expected,
                        origin));
            }
        }
    }
}
