package org.ciphersync.core.plan;

import static org.ciphersync.core.plan.Condition.Operator.DIFFERS;
import static org.ciphersync.core.plan.Condition.Operator.EQUALS;
import static org.ciphersync.core.plan.Condition.Operator.IS;
import static org.ciphersync.core.plan.Condition.Operator.IS_NOT;
import static org.ciphersync.core.plan.Rule.EACH_OTHER;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules and targeted actions of one synchronization. {@link #mirror} and {@link #update}
 * are the presets expressed as rules (two-way needs history and is planned by
 * {@link TwoWayPlanner}).
 *
 * @param rules    evaluated for every item; all that hold contribute
 * @param targeted per-item overrides
 */
public record RuleSet(List<Rule> rules, List<TargetedAction> targeted) {
    public RuleSet {
        rules = List.copyOf(rules);
        targeted = List.copyOf(targeted);
    }

    public RuleSet withTargeted(List<TargetedAction> more) {
        List<TargetedAction> all = new ArrayList<>(targeted);
        all.addAll(more);
        return new RuleSet(rules, all);
    }

    /** {@code source} → every other node, without deletions. */
    public static RuleSet update(String source) {
        return new RuleSet(updateRules(source), List.of());
    }

    /** {@code source} → every other node, deleting what the source lacks: afterwards all equal it. */
    public static RuleSet mirror(String source) {
        List<Rule> r = new ArrayList<>(updateRules(source));
        r.add(new Rule("delete what " + source + " lacks", Rule.Match.ALL,
                List.of(Condition.notExistsOn(source), Condition.existsOn(EACH_OTHER)),
                List.of(Action.delete(EACH_OTHER))));
        return new RuleSet(r, List.of());
    }

    private static List<Rule> updateRules(String a) {
        Objects.requireNonNull(a, "source == null");
        return List.of(
                new Rule("copy files whose content differs from " + a, Rule.Match.ALL,
                        List.of(Condition.type(a, IS, "file"), Condition.content(a, DIFFERS, EACH_OTHER)),
                        List.of(Action.copy(a, EACH_OTHER))),
                new Rule("copy what is missing", Rule.Match.ALL,
                        List.of(Condition.existsOn(a), Condition.notExistsOn(EACH_OTHER)),
                        List.of(Action.copy(a, EACH_OTHER))),
                new Rule("directory in place of a file", Rule.Match.ALL,
                        List.of(Condition.type(a, IS, "directory"), Condition.existsOn(EACH_OTHER),
                                Condition.type(EACH_OTHER, IS_NOT, "directory")),
                        List.of(new Action(ActionType.CREATE_DIRECTORY, null, EACH_OTHER))),
                new Rule("copy dates of equal files", Rule.Match.ALL,
                        List.of(Condition.type(a, IS, "file"), Condition.content(a, EQUALS, EACH_OTHER),
                                Condition.date(a, DIFFERS, EACH_OTHER)),
                        List.of(new Action(ActionType.COPY_DATES, a, EACH_OTHER))));
    }
}
