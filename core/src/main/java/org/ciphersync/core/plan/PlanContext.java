package org.ciphersync.core.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ciphersync.core.compare.Cell;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.compare.ComparisonRow;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.inventory.Skipped;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.settings.SyncSettings;

/**
 * Lookups every planner needs: rows by key, target paths on nodes where an item is absent, and
 * which items must be left alone because some node could not see them completely.
 */
final class PlanContext {
    final Comparison comparison;
    final SyncSettings settings;
    final Map<String, ComparisonRow> rows;
    /** Keys (and key prefixes, for directories) a scan skipped on some node. */
    private final Set<String> blockedKeys = new HashSet<>();
    private final Map<String, String> blockedWhy = new HashMap<>();

    PlanContext(Comparison comparison, SyncSettings settings) {
        this.comparison = comparison;
        this.settings = settings;
        this.rows = comparison.rowsByKey();
        comparison.skipped().forEach((node, list) -> {
            for (Skipped s : list) {
                if (RelPath.problem(s.path()) != null || s.path().isEmpty()) {
                    continue;
                }
                String k = key(RelPath.of(s.path()));
                blockedKeys.add(k);
                blockedWhy.putIfAbsent(k, "left alone: on " + node + " '" + s.path() + "' was skipped ("
                        + s.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + (s.detail() == null || s.detail().isEmpty() ? "" : ": " + s.detail()) + ")");
            }
        });
    }

    String key(RelPath p) {
        return settings.matchKey(p, comparison.caseSensitive());
    }

    /** Why the row must not be planned (a scan skipped it or an ancestor on some node), or null. */
    String blocked(ComparisonRow row) {
        String k = row.key();
        while (true) {
            if (blockedKeys.contains(k)) {
                return blockedWhy.get(k);
            }
            if (settings.matching() == SyncSettings.Matching.NAME) {
                break;
            }
            int i = k.lastIndexOf('/');
            if (i < 0) {
                break;
            }
            k = k.substring(0, i);
        }
        for (Cell c : row.cells()) {
            if (c.present() && (c.entry().type() == EntryType.SYMLINK || c.entry().type() == EntryType.OTHER)) {
                return "symbolic links are not synchronized";
            }
        }
        return null;
    }

    /** Keys of every ancestor of every blocked key (those directories must survive). */
    Set<String> blockedAncestors() {
        Set<String> out = new HashSet<>();
        if (settings.matching() == SyncSettings.Matching.NAME) {
            return out;
        }
        for (String k : blockedKeys) {
            int i;
            while ((i = k.lastIndexOf('/')) >= 0) {
                k = k.substring(0, i);
                out.add(k);
            }
        }
        return out;
    }

    /** The key of the parent directory, or null at the top (or under name matching). */
    String parentKey(String key) {
        if (settings.matching() == SyncSettings.Matching.NAME) {
            return null;
        }
        int i = key.lastIndexOf('/');
        return i < 0 ? null : key.substring(0, i);
    }

    /**
     * Where the item of {@code row} lives or would live on {@code node}: its own path when present
     * there; else the parent's path on that node (spelled as it exists there) plus the name.
     */
    RelPath targetPath(ComparisonRow row, String node) {
        Cell c = row.cell(node);
        if (c.present()) {
            return c.entry().path();
        }
        return childPath(row.key(), row.path(), node);
    }

    /** The path for a name below the parent of {@code key} on {@code node}. */
    RelPath childPath(String key, RelPath displayPath, String node) {
        if (settings.matching() == SyncSettings.Matching.NAME) {
            return displayPath;
        }
        List<String> names = new ArrayList<>();
        names.add(displayPath.name());
        String pk = parentKey(key);
        RelPath base = RelPath.ROOT;
        RelPath disp = displayPath.parent();
        while (pk != null) {
            ComparisonRow pr = rows.get(pk);
            if (pr != null && pr.cell(node).present()) {
                base = pr.cell(node).entry().path();
                break;
            }
            names.add(pr != null ? pr.path().name() : disp.name());
            pk = parentKey(pk);
            disp = disp.parent();
        }
        RelPath p = base;
        for (int i = names.size() - 1; i >= 0; i--) {
            p = p.resolve(names.get(i));
        }
        return p;
    }
}
