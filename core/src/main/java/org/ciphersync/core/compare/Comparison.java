package org.ciphersync.core.compare;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ciphersync.core.inventory.Skipped;

/**
 * The result of comparing the inventories of 2–5 nodes: rows in path order (a directory directly
 * before its contents).
 *
 * @param nodeIds         the nodes, in order (A first)
 * @param caseSensitive   whether items were paired case-sensitively
 * @param mtimeToleranceNanos modification times closer than this count as equal
 * @param rows            one per item
 * @param skipped         per node: entries its scan left out plus entries the comparison left out
 *                        (names colliding under case-insensitive matching)
 */
public record Comparison(List<String> nodeIds, boolean caseSensitive, long mtimeToleranceNanos,
                         List<ComparisonRow> rows, Map<String, List<Skipped>> skipped) {
    public Comparison {
        nodeIds = List.copyOf(nodeIds);
        rows = List.copyOf(rows);
        Map<String, List<Skipped>> copy = new HashMap<>();
        skipped.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        skipped = Map.copyOf(copy);
    }

    /** The row with {@code key}, or null. */
    public ComparisonRow row(String key) {
        Objects.requireNonNull(key, "key == null");
        for (ComparisonRow r : rows) {
            if (r.key().equals(key)) {
                return r;
            }
        }
        return null;
    }

    /** Rows by key, for repeated lookups. */
    public Map<String, ComparisonRow> rowsByKey() {
        Map<String, ComparisonRow> m = new HashMap<>(rows.size() * 2);
        for (ComparisonRow r : rows) {
            m.put(r.key(), r);
        }
        return m;
    }

    public List<ComparisonRow> filter(ComparisonFilter f) {
        return rows.stream().filter(f::test).toList();
    }
}
