package org.ciphersync.session.inventory;

import java.util.Objects;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.state.NodeState;

/**
 * One data node as a member shares it for a run: its inventory, a description that identifies the node
 * across sessions (the owner's identity fingerprint and the source's path) and, when the owner keeps one,
 * the node's last-synchronized state for the node set it expected (two-way).
 *
 * @param inventory   the node's inventory
 * @param description {@code <identity fingerprint> <kind> <absolute path>}; the session's node set id is
 *                    derived from the descriptions of all its nodes
 * @param base        the stored two-way state, or null when the node has none for that set
 */
public record SharedNode(NodeInventory inventory, String description, NodeState base) {
    /** Longest description carried. */
    public static final int MAX_DESCRIPTION = 2048;

    public SharedNode {
        Objects.requireNonNull(inventory, "inventory == null");
        Objects.requireNonNull(description, "description == null");
        if (description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("node description of " + description.length() + " characters is too long");
        }
    }

    public String nodeId() {
        return inventory.nodeId();
    }
}
