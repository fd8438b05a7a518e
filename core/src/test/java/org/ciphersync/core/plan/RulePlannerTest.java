package org.ciphersync.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.core.compare.Entries.SEC;
import static org.ciphersync.core.compare.Entries.T;
import static org.ciphersync.core.compare.Entries.bare;
import static org.ciphersync.core.compare.Entries.dir;
import static org.ciphersync.core.compare.Entries.file;
import static org.ciphersync.core.compare.Entries.node;

import java.util.List;
import org.ciphersync.core.compare.Comparer;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.inventory.Skipped;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.plan.Condition.Operator;
import org.ciphersync.core.settings.SyncSettings;
import org.junit.jupiter.api.Test;

class RulePlannerTest {
    static final SyncSettings S = SyncSettings.defaults();

    static Comparison cmp(NodeInventory... n) {
        return Comparer.compare(List.of(n), S);
    }

    static List<String> lines(Plan p) {
        return p.actions().stream().map(a -> a.type() + " " + (a.sourceNode() == null ? "" : a.sourceNode() + ">")
                + a.targetNode() + " " + a.targetPath()).toList();
    }

    @Test
    void mirror_copiesNewAndChanged_createsDirectories_deletesExtras_copiesDates() {
        Comparison c = cmp(
                node("A", file("new", "n", T), file("changed", "v2", T + 100 * SEC), dir("d"), file("d/f", "f", T),
                        file("touched", "t", T + 100 * SEC), file("same", "s", T)),
                node("B", file("changed", "v1", T), file("extra", "e", T), file("touched", "t", T),
                        file("same", "s", T)));
        Plan p = RulePlanner.plan(c, S, RuleSet.mirror("A"));
        assertThat(p.isConsistent()).isTrue();
        assertThat(lines(p)).containsExactlyInAnyOrder("COPY A>B new", "COPY A>B changed",
                "CREATE_DIRECTORY A>B d", "COPY A>B d/f", "COPY_DATES A>B touched", "DELETE B extra");
    }

    @Test
    void update_neverDeletes() {
        Comparison c = cmp(node("A", file("x", "1", T)), node("B", file("extra", "e", T)));
        assertThat(lines(RulePlanner.plan(c, S, RuleSet.update("A")))).containsExactly("COPY A>B x");
    }

    @Test
    void mirror_withThreeNodes_targetsEachOtherNode() {
        Comparison c = cmp(node("A", file("x", "1", T)), node("B"), node("C", file("x", "1", T)));
        assertThat(lines(RulePlanner.plan(c, S, RuleSet.mirror("A")))).containsExactly("COPY A>B x");
    }

    @Test
    void mirror_directoryOverAFile_createsTheDirectory_andCopiesItsContents() {
        Comparison c = cmp(node("A", dir("x"), file("x/f", "1", T)), node("B", file("x", "old", T)));
        Plan p = RulePlanner.plan(c, S, RuleSet.mirror("A"));
        assertThat(p.inconsistencies()).isEmpty();
        assertThat(lines(p)).containsExactlyInAnyOrder("CREATE_DIRECTORY B x", "COPY A>B x/f");
    }

    @Test
    void targetPath_followsTheTargetsSpellingOfTheParent() {
        Comparison c = Comparer.compare(List.of(node("A", dir("Docs"), file("Docs/a", "1", T)), node("B", dir("docs"))),
                S.withCaseSensitivity(SyncSettings.CaseSensitivity.INSENSITIVE));
        assertThat(lines(RulePlanner.plan(c, S.withCaseSensitivity(SyncSettings.CaseSensitivity.INSENSITIVE),
                RuleSet.mirror("A")))).containsExactly("COPY A>B docs/a");
    }

    @Test
    void targetedAction_overridesTheRulesForItsItem() {
        Comparison c = cmp(node("A", file("x", "1", T), file("y", "1", T)), node("B"));
        RuleSet rules = RuleSet.mirror("A").withTargeted(List.of(
                new TargetedAction(RelPath.of("x"), new Action(ActionType.DO_NOTHING, null, null))));
        assertThat(lines(RulePlanner.plan(c, S, rules))).containsExactly("COPY A>B y");
    }

    @Test
    void itemsSkippedByAScan_areLeftAlone_evenBelowASkippedDirectory() {
        NodeInventory a = new NodeInventory("A", true, List.of(file("ok", "1", T)),
                List.of(new Skipped("private", Skipped.Reason.UNREADABLE, "permission denied")));
        NodeInventory b = node("B", dir("private"), file("private/secret", "s", T));
        Plan p = RulePlanner.plan(cmp(a, b), S, RuleSet.mirror("A"));
        assertThat(lines(p)).containsExactly("COPY A>B ok");
        assertThat(p.notPlanned()).extracting(i -> i.path().value()).contains("private", "private/secret");
    }

    @Test
    void conditions_sizeDateNameAndAny() {
        Comparison c = cmp(node("A", file("big.log", "xxxxxxxx", T + 100 * SEC), file("small.txt", "x", T)),
                node("B", file("big.log", "y", T), file("small.txt", "yy", T + 100 * SEC)));
        Rule newer = new Rule("newer wins", Rule.Match.ALL,
                List.of(Condition.date("A", Operator.NEWER, "B")), List.of(Action.copy("A", "B")));
        Rule bigger = new Rule("bigger on B", Rule.Match.ALL,
                List.of(Condition.size("B", Operator.BIGGER, "A"), Condition.name(Operator.MATCHES, "*.txt")),
                List.of(Action.copy("B", "A")));
        Plan p = RulePlanner.plan(c, S, new RuleSet(List.of(newer, bigger), List.of()));
        assertThat(lines(p)).containsExactlyInAnyOrder("COPY A>B big.log", "COPY B>A small.txt");
        Rule any = new Rule("any", Rule.Match.ANY, List.of(Condition.name(Operator.EQUALS, "nothing"),
                new Condition(Condition.Subject.SIZE, "A", Operator.BIGGER, null, "5")), List.of(Action.copy("A", "B")));
        assertThat(lines(RulePlanner.plan(c, S, new RuleSet(List.of(any), List.of())))).containsExactly("COPY A>B big.log");
    }

    // ---- the consistency checker's examples ----

    @Test
    void checker_refusesTwoActionsWritingTheSameItemFromDifferentSources() {
        Comparison c = cmp(node("A", file("x", "1", T)), node("B", file("x", "2", T)), node("C"));
        RuleSet r = new RuleSet(List.of(
                new Rule("from A", Rule.Match.ALL, List.of(), List.of(Action.copy("A", "C"))),
                new Rule("from B", Rule.Match.ALL, List.of(), List.of(Action.copy("B", "C")))), List.of());
        Plan p = RulePlanner.plan(c, S, r);
        assertThat(p.inconsistencies()).singleElement().asString()
                .contains("x: 2 actions change it on C").contains("from A").contains("from B");
        assertThatThrownBy(p::requireConsistent).isInstanceOf(SyncRefusedException.class)
                .hasMessageContaining("x: 2 actions change it on C");
    }

    @Test
    void checker_refusesDeletingACopySource() {
        Comparison c = cmp(node("A"), node("B", file("x", "1", T)), node("C"));
        RuleSet r = new RuleSet(List.of(new Rule("r", Rule.Match.ALL, List.of(),
                List.of(Action.delete("B"), Action.copy("B", "C")))), List.of());
        assertThat(RulePlanner.plan(c, S, r).inconsistencies()).singleElement().asString()
                .contains("deleted on B").contains("source of copy to C");
    }

    @Test
    void checker_refusesCopyingIntoADirectoryBeingDeleted() {
        Comparison c = cmp(node("A", dir("d"), file("d/f", "1", T)), node("B", dir("d")));
        RuleSet r = new RuleSet(List.of(
                new Rule("drop d on B", Rule.Match.ALL, List.of(Condition.name(Operator.EQUALS, "d")),
                        List.of(Action.delete("B"))),
                new Rule("copy files", Rule.Match.ALL, List.of(Condition.type("A", Operator.IS, "file")),
                        List.of(Action.copy("A", "B")))), List.of());
        assertThat(RulePlanner.plan(c, S, r).inconsistencies()).singleElement().asString()
                .startsWith("d/f:").contains("which is being deleted there");
    }

    @Test
    void checker_refusesCopyOfADirectoryOntoAFile() {
        Comparison c = cmp(node("A", dir("x")), node("B", file("x", "1", T)));
        RuleSet r = new RuleSet(List.of(new Rule("copy", Rule.Match.ALL, List.of(), List.of(Action.copy("A", "B")))),
                List.of());
        assertThat(RulePlanner.plan(c, S, r).inconsistencies()).singleElement().asString()
                .contains("copy of a directory from A onto a file on B").contains("create directory");
    }

    @Test
    void checker_refusesCopyFromANodeThatLacksTheItem() {
        Comparison c = cmp(node("A"), node("B", file("x", "1", T)));
        RuleSet r = new RuleSet(List.of(new Rule("copy", Rule.Match.ALL, List.of(), List.of(Action.copy("A", "B")))),
                List.of());
        assertThat(RulePlanner.plan(c, S, r).inconsistencies()).singleElement().asString()
                .contains("does not exist on A");
    }

    @Test
    void checker_refusesWritingBelowAFileThatStaysAFile() {
        Comparison c = cmp(node("A", dir("p"), file("p/f", "1", T)), node("B", file("p", "file", T)));
        RuleSet r = new RuleSet(List.of(new Rule("files only", Rule.Match.ALL,
                List.of(Condition.type("A", Operator.IS, "file")), List.of(Action.copy("A", "B")))), List.of());
        assertThat(RulePlanner.plan(c, S, r).inconsistencies()).singleElement().asString()
                .contains("p is a file there");
    }

    @Test
    void rules_namingAnUnknownNode_areRejectedWithTheCulprit() {
        Comparison c = cmp(node("A"), node("B"));
        RuleSet r = new RuleSet(List.of(new Rule("bad", Rule.Match.ALL, List.of(), List.of(Action.copy("A", "Z")))),
                List.of());
        assertThatThrownBy(() -> RulePlanner.plan(c, S, r)).hasMessageContaining("rule 'bad' names node Z");
    }

    @Test
    void smartMode_sameSizeOtherDate_copiesContent() {
        Comparison c = cmp(node("A", bare("x", 3, T + 100 * SEC)), node("B", bare("x", 3, T)));
        assertThat(lines(RulePlanner.plan(c, S, RuleSet.mirror("A")))).containsExactly("COPY A>B x");
    }
}
