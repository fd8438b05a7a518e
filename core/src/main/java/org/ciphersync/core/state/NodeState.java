package org.ciphersync.core.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ciphersync.core.path.RelPath;

/**
 * The last-synchronized state one node keeps for one node set: each item's {@link ItemState} by
 * its path on that node. Immutable.
 *
 * @param nodeSetId which set of folders this state belongs to ({@link NodeSetId})
 * @param items     path on this node → state
 */
public record NodeState(String nodeSetId, Map<RelPath, ItemState> items) {
    public NodeState {
        Objects.requireNonNull(nodeSetId, "nodeSetId == null");
        // a hash map: every run builds, compares and looks up states of the whole tree, and sorting
        // 20,000 paths cost more than all of that; the writers sort (sortedItems)
        items = Map.copyOf(items);
    }

    /** The items in path order ({@link RelPath#compareTo}), as the state file and the wire carry them. */
    public List<Map.Entry<RelPath, ItemState>> sortedItems() {
        List<Map.Entry<RelPath, ItemState>> sorted = new ArrayList<>(items.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        return sorted;
    }

    public static NodeState empty(String nodeSetId) {
        return new NodeState(nodeSetId, Map.of());
    }
}
