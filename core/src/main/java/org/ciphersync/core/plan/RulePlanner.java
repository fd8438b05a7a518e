package org.ciphersync.core.plan;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ciphersync.core.compare.Cell;
import org.ciphersync.core.compare.Comparer;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.compare.ComparisonRow;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.settings.SyncSettings;

/**
 * Plans from rules and targeted actions (S10); a pure function on values. For each row every
 * rule whose conditions hold contributes its actions (with {@code *} bound to each node the rule
 * does not name); a targeted action replaces all contributions for its item. Actions that would
 * change nothing (copy onto equal content and dates, delete of an absent item, …) are dropped,
 * which is what makes a second run plan nothing. The result is checked by
 * {@link ConsistencyChecker}.
 */
public final class RulePlanner {
    private RulePlanner() {
    }

    public static Plan plan(Comparison comparison, SyncSettings settings, RuleSet rules) {
        Objects.requireNonNull(rules, "rules == null");
        PlanContext ctx = new PlanContext(comparison, settings);
        validateNodes(comparison, rules);
        Map<String, List<TargetedAction>> targeted = new HashMap<>();
        for (TargetedAction t : rules.targeted()) {
            targeted.computeIfAbsent(ctx.key(t.path()), k -> new ArrayList<>()).add(t);
        }
        Map<Rule, Set<String>> namedNodes = new IdentityHashMap<>(); // once per rule, not per row
        for (Rule r : rules.rules()) {
            namedNodes.put(r, r.namedNodes());
        }
        Set<PlannedAction> actions = new LinkedHashSet<>();
        List<Inconsistency> notPlanned = new ArrayList<>();
        List<Inconsistency> problems = new ArrayList<>();
        for (ComparisonRow row : comparison.rows()) {
            String why = ctx.blocked(row);
            if (why != null) {
                if (row.status().isDifference()) {
                    notPlanned.add(new Inconsistency(row.path(), why));
                }
                continue;
            }
            List<TargetedAction> ts = targeted.remove(row.key());
            if (ts != null) {
                for (TargetedAction t : ts) {
                    materialize(ctx, row, t.action(), null, "targeted", actions, problems);
                }
                continue;
            }
            for (Rule rule : rules.rules()) {
                if (!rule.usesEachOther()) {
                    if (holds(ctx, row, rule, null)) {
                        for (Action a : rule.then()) {
                            materialize(ctx, row, a, null, rule.name(), actions, problems);
                        }
                    }
                    continue;
                }
                Set<String> named = namedNodes.get(rule);
                for (String other : comparison.nodeIds()) {
                    if (named.contains(other)) {
                        continue;
                    }
                    if (holds(ctx, row, rule, other)) {
                        for (Action a : rule.then()) {
                            materialize(ctx, row, a, other, rule.name(), actions, problems);
                        }
                    }
                }
            }
        }
        targeted.forEach((k, ts) -> ts.forEach(t -> problems.add(new Inconsistency(t.path(),
                "targeted action names an item that no node has (or that was left out)"))));
        List<PlannedAction> list = new ArrayList<>(actions);
        problems.addAll(ConsistencyChecker.check(ctx, list));
        return new Plan(comparison.nodeIds(), list, notPlanned, problems);
    }

    private static void validateNodes(Comparison c, RuleSet rules) {
        Set<String> known = new LinkedHashSet<>(c.nodeIds());
        for (Rule r : rules.rules()) {
            for (String n : r.namedNodes()) {
                if (!known.contains(n)) {
                    throw new IllegalArgumentException("rule '" + r.name() + "' names node " + n
                            + ", but the nodes are " + known);
                }
            }
        }
        for (TargetedAction t : rules.targeted()) {
            for (String n : new String[] {t.action().from(), t.action().to()}) {
                if (n != null && !known.contains(n)) {
                    throw new IllegalArgumentException("targeted action on " + t.path() + " names node " + n
                            + ", but the nodes are " + known);
                }
            }
        }
    }

    private static String bind(String node, String other) {
        return Rule.EACH_OTHER.equals(node) ? other : node;
    }

    static boolean holds(PlanContext ctx, ComparisonRow row, Rule rule, String other) {
        if (rule.when().isEmpty()) {
            return true;
        }
        boolean any = false;
        for (Condition c : rule.when()) {
            boolean v = test(ctx, row, c, other);
            if (rule.match() == Rule.Match.ALL && !v) {
                return false;
            }
            any |= v;
        }
        return rule.match() == Rule.Match.ALL || any;
    }

    static boolean test(PlanContext ctx, ComparisonRow row, Condition c, String other) {
        long tol = ctx.comparison.mtimeToleranceNanos();
        Cell a = c.node() == null ? null : row.cell(bind(c.node(), other));
        Cell b = c.other() == null ? null : row.cell(bind(c.other(), other));
        return switch (c.subject()) {
            case PRESENCE -> c.op() == Condition.Operator.EXISTS_ON ? a.present() : !a.present();
            case TYPE -> {
                if (!a.present()) {
                    yield false;
                }
                boolean is = a.entry().type() == (c.value().equals("file") ? EntryType.FILE : EntryType.DIRECTORY);
                yield c.op() == Condition.Operator.IS ? is : !is;
            }
            case CONTENT -> {
                if (!a.present() || !b.present()) {
                    yield false;
                }
                boolean same = a.contentGroup() == b.contentGroup();
                yield c.op() == Condition.Operator.EQUALS ? same : !same;
            }
            case DATE -> {
                if (!a.present() || (b != null && !b.present())) {
                    yield false;
                }
                long x = a.entry().mtimeNanos();
                long y = b != null ? b.entry().mtimeNanos() : toNanos(Instant.parse(c.value()));
                yield switch (c.op()) {
                    case EQUALS -> Comparer.sameMtime(x, y, tol);
                    case DIFFERS -> !Comparer.sameMtime(x, y, tol);
                    case NEWER -> x > y + tol;
                    case OLDER -> x < y - tol;
                    default -> throw new IllegalStateException(c.op().toString());
                };
            }
            case SIZE -> {
                if (!a.present() || (b != null && !b.present())) {
                    yield false;
                }
                long x = a.entry().size();
                long y = b != null ? b.entry().size() : Long.parseLong(c.value());
                yield switch (c.op()) {
                    case EQUALS -> x == y;
                    case DIFFERS -> x != y;
                    case BIGGER -> x > y;
                    case SMALLER -> x < y;
                    default -> throw new IllegalStateException(c.op().toString());
                };
            }
            case NAME -> {
                String name = row.path().name();
                boolean cs = ctx.comparison.caseSensitive();
                yield switch (c.op()) {
                    case EQUALS -> cs ? name.equals(c.value()) : name.equalsIgnoreCase(c.value());
                    case DIFFERS -> !(cs ? name.equals(c.value()) : name.equalsIgnoreCase(c.value()));
                    case MATCHES -> {
                        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:"
                                + (cs ? c.value() : c.value().toLowerCase(Locale.ROOT)));
                        yield m.matches(Path.of(cs ? name : name.toLowerCase(Locale.ROOT)));
                    }
                    default -> throw new IllegalStateException(c.op().toString());
                };
            }
        };
    }

    private static long toNanos(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }

    /** Turns a stated action into a concrete one for the row, or nothing when it would change nothing. */
    static void materialize(PlanContext ctx, ComparisonRow row, Action action, String other, String origin,
                            Set<PlannedAction> out, List<Inconsistency> problems) {
        if (action.type() == ActionType.DO_NOTHING) {
            return;
        }
        String from = action.from() == null ? null : bind(action.from(), other);
        String to = bind(action.to(), other);
        if (to.equals(from)) {
            return;
        }
        Cell t = row.cell(to);
        InventoryEntry target = t.entry();
        Cell s = from == null ? null : row.cell(from);
        InventoryEntry source = s == null ? null : s.entry();
        long tol = ctx.comparison.mtimeToleranceNanos();
        ActionType type = action.type();
        if (type.needsSource() && source == null) {
            problems.add(new Inconsistency(row.path(), type.name().toLowerCase(Locale.ROOT) + " from " + from
                    + " to " + to + " (" + origin + "), but the item does not exist on " + from));
            return;
        }
        if (type == ActionType.COPY_DATES && target == null) {
            problems.add(new Inconsistency(row.path(), "copy dates from " + from + " to " + to + " (" + origin
                    + "), but the item does not exist on " + to));
            return;
        }
        switch (type) {
            case COPY, COPY_CONTENT -> {
                if (source != null && source.isDirectory()) {
                    if (target != null && target.isDirectory()) {
                        return;
                    }
                    if (target == null) {
                        type = ActionType.CREATE_DIRECTORY;
                    }
                } else if (source != null && target != null && s.contentGroup() == t.contentGroup()) {
                    if (type == ActionType.COPY_CONTENT
                            || Comparer.sameMtime(source.mtimeNanos(), target.mtimeNanos(), tol)) {
                        return;
                    }
                    type = ActionType.COPY_DATES;
                }
            }
            case COPY_DATES -> {
                if (source != null && target != null
                        && Comparer.sameMtime(source.mtimeNanos(), target.mtimeNanos(), tol)) {
                    return;
                }
            }
            case CREATE_DIRECTORY -> {
                if (target != null && target.isDirectory()) {
                    return;
                }
            }
            case DELETE -> {
                if (target == null) {
                    return;
                }
            }
            default -> throw new IllegalStateException(type.toString());
        }
        String src = type == ActionType.CREATE_DIRECTORY ? from : type.needsSource() ? from : null;
        out.add(new PlannedAction(row.key(), type, src, src == null ? null : source, to,
                ctx.targetPath(row, to), target, origin));
    }
}
