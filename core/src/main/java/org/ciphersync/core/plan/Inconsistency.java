package org.ciphersync.core.plan;

import org.ciphersync.core.path.RelPath;

/** Why the plan is refused for one item. */
public record Inconsistency(RelPath path, String reason) {
    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
