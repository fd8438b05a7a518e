package org.ciphersync.core.plan;

import java.util.Objects;

/**
 * An action as a rule or a targeted action states it.
 *
 * @param type what to do
 * @param from the source node for copies, or null; {@value Rule#EACH_OTHER} stands for each node
 *             the rule does not name
 * @param to   the target node, or {@value Rule#EACH_OTHER}
 */
public record Action(ActionType type, String from, String to) {
    public Action {
        Objects.requireNonNull(type, "type == null");
        if (type == ActionType.KEEP_AS_CONFLICT) {
            throw new IllegalArgumentException("keep-as-conflict is decided by two-way planning, not stated by rules");
        }
        if (type != ActionType.DO_NOTHING) {
            Objects.requireNonNull(to, type + " needs a target node ('to')");
        }
        if (type.needsSource() && from == null) {
            throw new IllegalArgumentException(type + " needs a source node ('from')");
        }
        if (!type.needsSource() && from != null) {
            throw new IllegalArgumentException(type + " takes no source node, got from=" + from);
        }
    }

    public static Action copy(String from, String to) {
        return new Action(ActionType.COPY, from, to);
    }

    public static Action delete(String on) {
        return new Action(ActionType.DELETE, null, on);
    }
}
