package org.ciphersync.core.compare;

import java.util.Objects;
import org.ciphersync.core.inventory.InventoryEntry;

/**
 * One item on one node.
 *
 * @param nodeId       the node
 * @param entry        the item there (its own path, which may differ in case), or null when absent
 * @param contentGroup items with equal content on different nodes share a group number (1, 2, …
 *                     in node order); 0 when absent. Directories all share one group.
 */
public record Cell(String nodeId, InventoryEntry entry, int contentGroup) {
    public Cell {
        Objects.requireNonNull(nodeId, "nodeId == null");
        if ((entry == null) != (contentGroup == 0)) {
            throw new IllegalArgumentException("content group " + contentGroup + " does not fit presence "
                    + (entry != null) + " on node " + nodeId);
        }
    }

    public boolean present() {
        return entry != null;
    }

    /** The group as a letter (a, b, …) for display, or "-" when absent. */
    public String groupLabel() {
        return contentGroup == 0 ? "-" : contentGroup <= 26 ? String.valueOf((char) ('a' + contentGroup - 1))
                : Integer.toString(contentGroup);
    }
}
