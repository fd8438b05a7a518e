package org.ciphersync.core.plan;

import java.util.Objects;
import org.ciphersync.core.path.RelPath;

/**
 * An action the user chose for one item; it replaces whatever the rules (or two-way) planned for
 * that item.
 *
 * @param path   the item's path (matched like the comparison matches items)
 * @param action what to do ({@code *} is not allowed here)
 */
public record TargetedAction(RelPath path, Action action) {
    public TargetedAction {
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(action, "action == null");
        if (Rule.EACH_OTHER.equals(action.from()) || Rule.EACH_OTHER.equals(action.to())) {
            throw new IllegalArgumentException("targeted action on " + path + " must name its nodes, not '*'");
        }
    }
}
