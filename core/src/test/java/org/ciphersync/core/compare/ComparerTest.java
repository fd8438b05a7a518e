package org.ciphersync.core.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.core.compare.Entries.SEC;
import static org.ciphersync.core.compare.Entries.T;
import static org.ciphersync.core.compare.Entries.bare;
import static org.ciphersync.core.compare.Entries.dir;
import static org.ciphersync.core.compare.Entries.file;
import static org.ciphersync.core.compare.Entries.node;

import java.util.List;
import java.util.stream.Stream;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.inventory.Skipped;
import org.ciphersync.core.settings.SyncSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ComparerTest {
    static final SyncSettings S = SyncSettings.defaults();

    static Comparison compare(NodeInventory... nodes) {
        return Comparer.compare(List.of(nodes), S);
    }

    /** One row per case: the entries of A, B (null: absent), the status and the groups. */
    static Stream<Arguments> statusTable() {
        return Stream.of(
                Arguments.of("equal files", file("x", "1", T), file("x", "1", T), ItemStatus.SAME, "aa"),
                Arguments.of("different content", file("x", "1", T), file("x", "2", T), ItemStatus.DIFFERENT_CONTENT, "ab"),
                Arguments.of("equal content, other date", file("x", "1", T), file("x", "1", T + 60 * SEC),
                        ItemStatus.DIFFERENT_DATE_ONLY, "aa"),
                Arguments.of("one second apart is a date difference (exact by default)", file("x", "1", T),
                        file("x", "1", T + SEC), ItemStatus.DIFFERENT_DATE_ONLY, "aa"),
                Arguments.of("missing on B", file("x", "1", T), null, ItemStatus.MISSING_ON_SOME, "a-"),
                Arguments.of("missing on A", null, file("x", "1", T), ItemStatus.MISSING_ON_SOME, "-a"),
                Arguments.of("file vs directory", file("x", "1", T), dir("x"), ItemStatus.TYPE_CONFLICT, "ab"),
                Arguments.of("two directories", dir("x"), dir("x"), ItemStatus.SAME, "aa"),
                Arguments.of("smart: same size and date, no fingerprints", bare("x", 5, T), bare("x", 5, T),
                        ItemStatus.SAME, "aa"),
                Arguments.of("smart: same size, other date, no fingerprints", bare("x", 5, T), bare("x", 5, T + 60 * SEC),
                        ItemStatus.DIFFERENT_CONTENT, "ab"),
                Arguments.of("smart: other size", bare("x", 5, T), bare("x", 6, T), ItemStatus.DIFFERENT_CONTENT, "ab"),
                Arguments.of("fingerprints beat equal size and date", file("x", "abc", T), file("x", "xyz", T),
                        ItemStatus.DIFFERENT_CONTENT, "ab"));
    }

    @org.junit.jupiter.api.Test
    void dateWithinAnExplicitWindow_isTheSame() {
        Comparison c = Comparer.compare(List.of(node("A", file("x", "1", T)), node("B", file("x", "1", T + SEC))), S,
                2 * SEC);
        assertThat(c.rows()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(ItemStatus.SAME));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statusTable")
    void row_statusAndGroups(String name, InventoryEntry a, InventoryEntry b, ItemStatus status, String groups) {
        Comparison c = compare(a == null ? node("A") : node("A", a), b == null ? node("B") : node("B", b));
        assertThat(c.rows()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.cells().stream().map(Cell::groupLabel).reduce("", String::concat)).isEqualTo(groups);
        });
    }

    @Test
    void threeNodes_shareGroupsByContent() {
        Comparison c = compare(node("A", file("x", "1", T)), node("B", file("x", "2", T)), node("C", file("x", "1", T)));
        assertThat(c.rows().getFirst().cells()).extracting(Cell::contentGroup).containsExactly(1, 2, 1);
    }

    @Test
    void rows_areInPathOrder_directoryBeforeItsContents() {
        Comparison c = compare(node("A", file("b", "1", T), dir("a"), file("a/z", "1", T), file("a-b", "1", T)),
                node("B"));
        assertThat(c.rows()).extracting(r -> r.path().value()).containsExactly("a", "a/z", "a-b", "b");
    }

    @Test
    void caseInsensitiveMatching_pairsNamesThatDifferInCase() {
        Comparison c = Comparer.compare(List.of(node("A", file("Read.me", "1", T)), node("B", file("read.ME", "1", T))),
                S.withCaseSensitivity(SyncSettings.CaseSensitivity.INSENSITIVE));
        assertThat(c.rows()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(ItemStatus.SAME));
    }

    @Test
    void namesCollidingOnOneNode_areLeftOutAndReported() {
        Comparison c = Comparer.compare(List.of(node("A", file("a.txt", "1", T), file("A.txt", "2", T)),
                node("B", file("a.txt", "1", T))), S.withCaseSensitivity(SyncSettings.CaseSensitivity.INSENSITIVE));
        assertThat(c.skipped().get("A")).extracting(Skipped::reason).containsOnly(Skipped.Reason.NAME_COLLISION);
        assertThat(c.skipped().get("A")).hasSize(2);
        assertThat(c.rows()).singleElement().satisfies(r -> assertThat(r.presentOn("A")).isFalse());
    }

    @Test
    void unicodeNormalization_pairsNfcWithNfd() {
        Comparison c = compare(node("A", file("caf\u00e9", "1", T)), node("B", file("cafe\u0301", "1", T)));
        assertThat(c.rows()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(ItemStatus.SAME));
    }

    @Test
    void engineArea_isNeverCompared() {
        Comparison c = compare(node("A", dir(".ciphersync"), file(".ciphersync/state/x.json", "{}", T),
                file("d.ciphersync.tmp.1", "1", T), file(".ciphersync.tmp.abc", "partial", T)), node("B"));
        assertThat(c.rows()).extracting(r -> r.path().value()).containsExactly("d.ciphersync.tmp.1");
    }

    @Test
    void nodeCount_outside2to5_isRejected() {
        assertThatThrownBy(() -> compare(node("A"))).hasMessageContaining("2–5 nodes, got 1");
        assertThatThrownBy(() -> compare(node("A"), node("A"))).hasMessageContaining("node id A appears twice");
    }

    @Test
    void filter_onlyDifferences_glob_presence() {
        Comparison c = compare(node("A", file("same", "1", T), file("docs/a.txt", "1", T), dir("docs")),
                node("B", file("same", "1", T), dir("docs")));
        assertThat(c.filter(ComparisonFilter.ALL.withOnlyDifferences())).extracting(r -> r.path().value())
                .containsExactly("docs/a.txt");
        assertThat(c.filter(ComparisonFilter.ALL.withGlob("*.txt"))).extracting(r -> r.path().value())
                .containsExactly("docs/a.txt");
        assertThat(c.filter(ComparisonFilter.ALL.withGlob("docs/**"))).hasSize(1);
        assertThat(c.filter(ComparisonFilter.ALL.withAbsentOn("B"))).hasSize(1);
        assertThat(c.filter(ComparisonFilter.ALL.withPresentOn("B"))).hasSize(2);
        assertThatThrownBy(() -> ComparisonFilter.ALL.withGlob("[")).hasMessageContaining("invalid glob '['");
    }
}
