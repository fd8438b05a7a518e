package org.ciphersync.core.state;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
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
        items = java.util.Collections.unmodifiableMap(new TreeMap<>(items));
    }

    public static NodeState empty(String nodeSetId) {
        return new NodeState(nodeSetId, Map.of());
    }
}
