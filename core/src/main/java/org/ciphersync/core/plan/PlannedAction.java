package org.ciphersync.core.plan;

import java.util.Objects;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.path.RelPath;

/**
 * One concrete step of a plan, with everything the apply needs to re-check before it writes.
 *
 * @param key            the comparison key of the item
 * @param type           what to do
 * @param sourceNode     where the content or date comes from, or null
 * @param source         the source item as inventoried (its path is where it is read), or null
 * @param targetNode     the node that changes
 * @param targetPath     the path written, deleted or (for KEEP_AS_CONFLICT) renamed to
 * @param expectedTarget the item at {@code targetPath} as inventoried, or null when it must be absent
 * @param origin         the rule name, "targeted", or "two-way: …" (for messages)
 */
public record PlannedAction(String key, ActionType type, String sourceNode, InventoryEntry source,
                            String targetNode, RelPath targetPath, InventoryEntry expectedTarget, String origin) {
    public PlannedAction {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(targetNode, "targetNode == null");
        Objects.requireNonNull(targetPath, "targetPath == null");
        Objects.requireNonNull(origin, "origin == null");
        if (type.needsSource() && (sourceNode == null || source == null)) {
            throw new IllegalArgumentException(type + " of " + targetPath + " needs a source");
        }
    }

    /** Bytes this action writes (file content copies), for progress totals. */
    public long bytes() {
        return (type == ActionType.COPY || type == ActionType.COPY_CONTENT) && source != null && source.isFile()
                ? source.size() : 0;
    }

    /** A one-line description for dry runs and reports: {@code COPY A → B docs/a.txt}. */
    public String describe() {
        String arrow = switch (type) {
            case COPY, COPY_CONTENT, COPY_DATES -> sourceNode + " → " + targetNode;
            case KEEP_AS_CONFLICT -> "on " + targetNode + " " + source.path() + " →";
            default -> "on " + targetNode;
        };
        return String.format("%-16s %-8s %s", type, arrow, targetPath);
    }
}
