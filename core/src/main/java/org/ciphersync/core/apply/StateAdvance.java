package org.ciphersync.core.apply;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ciphersync.core.compare.Cell;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.compare.ComparisonRow;
import org.ciphersync.core.fs.FileAttrs;
import org.ciphersync.core.inventory.Skipped;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.plan.ActionType;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.core.state.ItemState;
import org.ciphersync.core.state.NodeState;

/**
 * Computes each node's new last-synchronized state after an apply: a pure function of the
 * comparison, the apply's results and the old states.
 *
 * <p>An item's state advances to what is on the node now (the inventory's entry, or what the
 * apply wrote there) only when every action on that item succeeded; otherwise every node keeps its
 * old state for it, so the next two-way run still sees the change and finishes it. Items a scan
 * skipped (and everything below a skipped directory) keep their old state too.
 */
public final class StateAdvance {
    private StateAdvance() {
    }

    public static Map<String, NodeState> next(String nodeSetId, Comparison comparison, SyncSettings settings,
                                              ApplyReport report, Map<String, NodeState> old) {
        boolean cs = comparison.caseSensitive();
        Set<String> failed = new HashSet<>();
        for (ItemResult r : report.results()) {
            if (!r.ok()) {
                failed.add(r.action().key());
                if (r.action().type() == ActionType.KEEP_AS_CONFLICT) {
                    failed.add(settings.matchKey(r.action().targetPath(), cs));
                }
            }
        }
        Set<String> skipped = new HashSet<>();
        comparison.skipped().forEach((node, list) -> {
            for (Skipped s : list) {
                if (!s.path().isEmpty() && RelPath.problem(s.path()) == null) {
                    skipped.add(settings.matchKey(RelPath.of(s.path()), cs));
                }
            }
        });
        Map<String, NodeState> out = new LinkedHashMap<>();
        for (String node : comparison.nodeIds()) {
            // key → (path, state)
            Map<String, Map.Entry<RelPath, ItemState>> items = new HashMap<>();
            for (ComparisonRow row : comparison.rows()) {
                Cell c = row.cell(node);
                if (c.present()) {
                    items.put(row.key(), Map.entry(c.entry().path(), ItemState.of(c.entry())));
                }
            }
            List<ItemResult> mine = report.results().stream().filter(r -> r.ok() && r.action().targetNode().equals(node)).toList();
            for (ItemResult r : mine) {
                if (r.action().type() == ActionType.KEEP_AS_CONFLICT) {
                    items.remove(r.action().key());
                    put(items, settings.matchKey(r.action().targetPath(), cs), r.action().targetPath(), r);
                }
            }
            for (ItemResult r : mine) {
                switch (r.action().type()) {
                    case DELETE -> items.remove(r.action().key());
                    case COPY, COPY_CONTENT, COPY_DATES, CREATE_DIRECTORY -> put(items, r.action().key(),
                            r.action().targetPath(), r);
                    default -> {
                        // KEEP_AS_CONFLICT handled above; DO_NOTHING never planned
                    }
                }
            }
            // failed or skipped items: the old state, whatever is on the node now
            Map<RelPath, ItemState> result = HashMap.newHashMap(items.size());
            for (Map.Entry<String, Map.Entry<RelPath, ItemState>> e : items.entrySet()) {
                if (!failed.contains(e.getKey()) && !underSkipped(e.getKey(), skipped)) {
                    result.put(e.getValue().getKey(), e.getValue().getValue());
                }
            }
            NodeState o = old.get(node);
            if (o != null && !(failed.isEmpty() && skipped.isEmpty())) {
                o.items().forEach((p, st) -> {
                    String k = settings.matchKey(p, cs);
                    if (failed.contains(k) || underSkipped(k, skipped)) {
                        result.put(p, st);
                    }
                });
            }
            out.put(node, new NodeState(nodeSetId, result));
        }
        return out;
    }

    private static boolean underSkipped(String key, Set<String> skipped) {
        if (skipped.isEmpty()) {
            return false;
        }
        for (String k = key; ; ) {
            if (skipped.contains(k)) {
                return true;
            }
            int i = k.lastIndexOf('/');
            if (i < 0) {
                return false;
            }
            k = k.substring(0, i);
        }
    }

    private static void put(Map<String, Map.Entry<RelPath, ItemState>> items, String key, RelPath path, ItemResult r) {
        FileAttrs a = r.after();
        if (a == null) {
            items.remove(key);
            return;
        }
        items.put(key, Map.entry(path, new ItemState(a.type(), a.isDirectory() ? 0 : a.size(), a.mtimeNanos(),
                r.fileHashHex())));
    }
}
