package org.ciphersync.core.inventory;

import java.util.List;

/**
 * What {@link Inventory#scan} returns: one inventory per data source, in the order of the
 * sources, and the run's totals.
 */
public record InventoryResult(List<NodeInventory> nodes, InventoryStats stats) {
    public InventoryResult {
        nodes = List.copyOf(nodes);
    }
}
