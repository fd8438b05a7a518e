package org.ciphersync.core.plan;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A synchronization rule (S10): when its conditions hold (all of them, or any), its actions are
 * planned for the item. Every rule whose conditions hold contributes; the consistency checker
 * refuses plans where contributions contradict each other.
 *
 * <p>The node {@value #EACH_OTHER} stands for "each node this rule does not name": the rule is
 * evaluated once per such node, with {@code *} bound to it. {@code copy A → *} under
 * {@code content A differs *} is "copy from A to every node whose content differs from A's".
 *
 * @param name    shown in plans and messages
 * @param match   whether all or any condition must hold (no conditions: always)
 * @param when    the conditions
 * @param then    the actions
 */
public record Rule(String name, Match match, List<Condition> when, List<Action> then) {
    public static final String EACH_OTHER = "*";

    public enum Match { ALL, ANY }

    public Rule {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(match, "match == null in rule '" + name + "'");
        when = List.copyOf(when);
        then = List.copyOf(then);
        if (then.isEmpty()) {
            throw new IllegalArgumentException("rule '" + name + "' has no action");
        }
    }

    /** The node ids the rule names explicitly (never {@value #EACH_OTHER}). */
    public Set<String> namedNodes() {
        Set<String> s = new LinkedHashSet<>();
        for (Condition c : when) {
            add(s, c.node());
            add(s, c.other());
        }
        for (Action a : then) {
            add(s, a.from());
            add(s, a.to());
        }
        return s;
    }

    public boolean usesEachOther() {
        for (Condition c : when) {
            if (EACH_OTHER.equals(c.node()) || EACH_OTHER.equals(c.other())) {
                return true;
            }
        }
        for (Action a : then) {
            if (EACH_OTHER.equals(a.from()) || EACH_OTHER.equals(a.to())) {
                return true;
            }
        }
        return false;
    }

    private static void add(Set<String> s, String node) {
        if (node != null && !node.equals(EACH_OTHER)) {
            s.add(node);
        }
    }
}
