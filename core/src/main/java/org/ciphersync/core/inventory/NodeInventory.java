package org.ciphersync.core.inventory;

import java.util.List;

/**
 * The result of scanning one data node.
 *
 * @param nodeId        the node's id
 * @param caseSensitive whether the node's file system distinguishes names by case
 * @param entries       items, sorted by {@link org.ciphersync.core.path.RelPath} order (a
 *                      directory directly before its contents); the root itself is not listed
 * @param skipped       entries left out, with the reason
 */
public record NodeInventory(String nodeId, boolean caseSensitive, List<InventoryEntry> entries,
                            List<Skipped> skipped) {
    public NodeInventory {
        entries = List.copyOf(entries);
        skipped = List.copyOf(skipped);
    }
}
