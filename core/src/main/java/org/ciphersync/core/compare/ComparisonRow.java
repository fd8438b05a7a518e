package org.ciphersync.core.compare;

import java.util.List;
import java.util.Objects;
import org.ciphersync.core.path.RelPath;

/**
 * One item across all nodes: one cell per node, in node order.
 *
 * @param key    the match key that paired the cells (see {@code SyncSettings.matchKey})
 * @param path   the item's path on the first node that has it (for display and ordering)
 * @param cells  one per node, in the comparison's node order
 * @param status how the versions relate
 */
public record ComparisonRow(String key, RelPath path, List<Cell> cells, ItemStatus status) {
    public ComparisonRow {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(status, "status == null");
        cells = List.copyOf(cells);
    }

    /** The cell of {@code nodeId}; throws when the node is not part of the comparison. */
    public Cell cell(String nodeId) {
        for (Cell c : cells) {
            if (c.nodeId().equals(nodeId)) {
                return c;
            }
        }
        throw new IllegalArgumentException("node " + nodeId + " is not part of this comparison");
    }

    public boolean presentOn(String nodeId) {
        return cell(nodeId).present();
    }
}
