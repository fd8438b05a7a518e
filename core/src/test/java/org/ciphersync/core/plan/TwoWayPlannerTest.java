package org.ciphersync.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.core.compare.Entries.SEC;
import static org.ciphersync.core.compare.Entries.T;
import static org.ciphersync.core.compare.Entries.dir;
import static org.ciphersync.core.compare.Entries.file;
import static org.ciphersync.core.compare.Entries.node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ciphersync.core.compare.Comparer;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.core.state.ItemState;
import org.ciphersync.core.state.NodeState;
import org.junit.jupiter.api.Test;

/** Two-way decisions as a table: base (last synchronized) → versions now → actions. */
class TwoWayPlannerTest {
    static final SyncSettings S = SyncSettings.defaults();
    static final InventoryEntry BASE = file("x", "base", T);

    static Map<String, NodeState> bases(String nodes, InventoryEntry... items) {
        Map<String, NodeState> m = new HashMap<>();
        for (char n : nodes.toCharArray()) {
            Map<RelPath, ItemState> s = new HashMap<>();
            for (InventoryEntry e : items) {
                s.put(e.path(), ItemState.of(e));
            }
            m.put(String.valueOf(n), new NodeState("0123456789abcdef", s));
        }
        return m;
    }

    static List<String> plan(Map<String, NodeState> bases, NodeInventory... nodes) {
        Comparison c = Comparer.compare(List.of(nodes), S);
        Plan p = TwoWayPlanner.plan(c, S, bases, List.of());
        assertThat(p.inconsistencies()).isEmpty();
        return RulePlannerTest.lines(p);
    }

    @Test
    void unchangedEverywhere_plansNothing() {
        assertThat(plan(bases("AB", BASE), node("A", BASE), node("B", BASE))).isEmpty();
    }

    @Test
    void changedOnOneNode_propagates() {
        assertThat(plan(bases("AB", BASE), node("A", file("x", "new", T + 100 * SEC)), node("B", BASE)))
                .containsExactly("COPY A>B x");
    }

    @Test
    void deletedOnOneNode_deletesElsewhere() {
        assertThat(plan(bases("ABC", BASE), node("A"), node("B", BASE), node("C", BASE)))
                .containsExactlyInAnyOrder("DELETE B x", "DELETE C x");
    }

    @Test
    void modifiedAndDeleted_modificationWins() {
        assertThat(plan(bases("AB", BASE), node("A", file("x", "new", T + 100 * SEC)), node("B")))
                .containsExactly("COPY A>B x");
    }

    @Test
    void sameChangeOnTwoNodes_isNoConflict() {
        InventoryEntry same = file("x", "same edit", T + 100 * SEC);
        assertThat(plan(bases("ABC", BASE), node("A", same), node("B", same), node("C", BASE)))
                .containsExactly("COPY A>C x");
    }

    @Test
    void differentChangesOnTwoNodes_newestWins_andTheOtherIsKeptAsConflictCopyEverywhere() {
        InventoryEntry a = file("x", "edit A", T + 100 * SEC);
        InventoryEntry b = file("x", "edit B", T + 200 * SEC);
        assertThat(plan(bases("ABC", BASE), node("A", a), node("B", b), node("C", BASE))).containsExactlyInAnyOrder(
                "KEEP_AS_CONFLICT A>A x.conflict-A-20231114-221500",
                "COPY A>B x.conflict-A-20231114-221500", "COPY A>C x.conflict-A-20231114-221500",
                "COPY B>A x", "COPY B>C x");
    }

    @Test
    void noStateYet_differentVersions_areAConflict_neverAnOverwrite() {
        List<String> p = plan(Map.of(), node("A", file("x", "mine", T)), node("B", file("x", "theirs", T + 100 * SEC)));
        assertThat(p).anyMatch(l -> l.startsWith("KEEP_AS_CONFLICT A>A x.conflict-A-"));
    }

    @Test
    void noStateYet_newItemsOnEitherSide_areCopied_neverDeleted() {
        assertThat(plan(Map.of(), node("A", file("a", "1", T)), node("B", file("b", "2", T))))
                .containsExactlyInAnyOrder("COPY A>B a", "COPY B>A b");
    }

    @Test
    void folderDeletedOnA_butAFileInsideChangedOnB_folderAndFileSurvive() {
        InventoryEntry d = dir("d");
        InventoryEntry f = file("d/f", "base", T);
        assertThat(plan(bases("AB", d, f), node("A"), node("B", d, file("d/f", "edited", T + 100 * SEC))))
                .containsExactlyInAnyOrder("CREATE_DIRECTORY B>A d", "COPY B>A d/f");
    }

    @Test
    void folderDeletedOnA_unchangedOnB_isDeletedChildrenFirstByTheApply() {
        InventoryEntry d = dir("d");
        InventoryEntry f = file("d/f", "base", T);
        assertThat(plan(bases("AB", d, f), node("A"), node("B", d, f)))
                .containsExactlyInAnyOrder("DELETE B d", "DELETE B d/f");
    }

    @Test
    void fileReplacingAFolderWhoseContentsChangedElsewhere_becomesAConflictCopy() {
        InventoryEntry d = dir("d");
        InventoryEntry f = file("d/f", "base", T);
        List<String> p = plan(bases("AB", d, f), node("A", file("d", "now a file", T + 100 * SEC)),
                node("B", d, file("d/f", "edited", T + 100 * SEC)));
        assertThat(p).contains("COPY B>A d/f").anyMatch(l -> l.startsWith("KEEP_AS_CONFLICT A>A d.conflict-A-"));
        assertThat(p).anyMatch(l -> l.startsWith("CREATE_DIRECTORY B>A d"));
    }
}
