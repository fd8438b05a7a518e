package org.ciphersync.vault.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.vault.chain.Versions.A;
import static org.ciphersync.vault.chain.Versions.B;
import static org.ciphersync.vault.chain.Versions.C;
import static org.ciphersync.vault.chain.Versions.deleted;
import static org.ciphersync.vault.chain.Versions.file;
import static org.ciphersync.vault.chain.Versions.vv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;
import org.junit.jupiter.api.Test;

class MergeTest {

    @Test
    void resolve_newerVectorDominates_isAFastForwardWithoutConflict() {
        FileVersion old = file("~/a.txt", "v1", 100, vv(A, 1), A);
        FileVersion newer = file("~/a.txt", "v2", 50, vv(A, 1, B, 3), B);
        Resolution r = Merge.resolve(List.of(old, newer));
        assertThat(r.winner()).isEqualTo(newer);
        assertThat(r.conflict()).isFalse();
    }

    @Test
    void resolve_concurrentVectors_isAConflictWonByTheNewerMtime() {
        FileVersion fromA = file("~/a.txt", "edit on A", 200, vv(A, 2), A);
        FileVersion fromB = file("~/a.txt", "edit on B", 300, vv(A, 1, B, 1), B);
        Resolution r = Merge.resolve(List.of(fromA, fromB));
        assertThat(r.conflict()).isTrue();
        assertThat(r.winner()).isEqualTo(fromB);
        assertThat(r.losers()).containsExactly(fromA);
    }

    @Test
    void resolve_concurrentWithEqualMtime_isWonByTheLargerComputerId() {
        FileVersion fromA = file("~/a.txt", "x", 200, vv(A, 2), A);
        FileVersion fromC = file("~/a.txt", "y", 200, vv(C, 1), C);
        assertThat(Merge.resolve(List.of(fromA, fromC)).winner()).isEqualTo(fromC);
        assertThat(Merge.resolve(List.of(fromC, fromA)).winner()).isEqualTo(fromC);
    }

    @Test
    void resolve_tombstoneThatSawTheFile_deletesIt() {
        FileVersion f = file("~/a.txt", "v1", 100, vv(A, 1), A);
        FileVersion gone = deleted("~/a.txt", 500, vv(A, 1, B, 2), B);
        Resolution r = Merge.resolve(List.of(f, gone));
        assertThat(r.winner().isDeleted()).isTrue();
        assertThat(r.conflict()).isFalse();
    }

    @Test
    void resolve_sameVersionSeenByTwoComputers_isOneVersion() {
        FileVersion f = file("~/a.txt", "v1", 100, vv(A, 1), A);
        assertThat(Merge.resolve(List.of(f, f)).conflict()).isFalse();
    }

    @Test
    void merge_pathsOnlyOneComputerHas_areTakenAsTheyAre() {
        Map<VaultPath, FileVersion> a = view(file("~/a", "1", 1, vv(A, 1), A));
        Map<VaultPath, FileVersion> b = view(file("~/b", "2", 1, vv(B, 1), B));
        SortedMap<VaultPath, Resolution> m = Merge.merge(List.of(a, b));
        assertThat(m.keySet()).containsExactly(VaultPath.parse("~/a"), VaultPath.parse("~/b"));
    }

    @Test
    void computerView_laterCommitReplacesEverythingBelowItsRoots() {
        ComputerView v = new ComputerView();
        v.apply(List.of(VaultPath.parse("~/docs")), List.of(file("~/docs/a", "1", 1, vv(A, 1), A), file("~/docs/b", "1", 1, vv(A, 1), A)));
        v.apply(List.of(VaultPath.parse("~/music")), List.of(file("~/music/m", "1", 1, vv(A, 2), A)));
        v.apply(List.of(VaultPath.parse("~/docs")), List.of(file("~/docs/a", "2", 2, vv(A, 3), A)));
        assertThat(v.entries().keySet()).extracting(VaultPath::toString).containsExactly("~/docs/a", "~/music/m");
    }

    /**
     * The merge is a function of the set of views: shuffling views and candidates changes nothing; the
     * k-way merge equals gathering candidates by path, and the draining merge equals it and empties the views.
     */
    @Property(tries = 200)
    void merge_isIndependentOfTheOrderOfViews(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int computers) {
        Random rnd = new Random(seed);
        List<ComputerId> ids = List.of(A, B, C, ComputerId.of("d".repeat(32)));
        List<Map<VaultPath, FileVersion>> views = new ArrayList<>();
        for (int c = 0; c < computers; c++) {
            Map<VaultPath, FileVersion> view = new TreeMap<>();
            for (int p = 0; p < 5; p++) {
                if (rnd.nextBoolean()) {
                    VersionVector v = VersionVector.EMPTY;
                    for (ComputerId id : ids.subList(0, computers)) {
                        if (rnd.nextInt(3) > 0) {
                            v = v.with(id, 1 + rnd.nextInt(3));
                        }
                    }
                    if (v.isEmpty()) {
                        v = v.with(ids.get(c), 1);
                    }
                    FileVersion f = rnd.nextInt(5) == 0
                            ? deleted("~/p" + p, rnd.nextInt(3), v, ids.get(c))
                            : file("~/p" + p, "c" + rnd.nextInt(3), rnd.nextInt(3), v, ids.get(c));
                    view.put(f.path(), f);
                }
            }
            views.add(view);
        }
        SortedMap<VaultPath, Resolution> first = Merge.merge(views);
        List<Map<VaultPath, FileVersion>> shuffled = new ArrayList<>(views);
        Collections.shuffle(shuffled, rnd);
        assertThat(Merge.merge(shuffled)).isEqualTo(first);
        assertThat(first).isEqualTo(byPath(views));
        assertThat(Merge.merge(views.stream().map(HashMap::new).toList())).isEqualTo(first);
        List<TreeMap<VaultPath, FileVersion>> drained = shuffled.stream().map(TreeMap::new).toList();
        assertThat(Merge.mergeDraining(drained)).isEqualTo(first);
        assertThat(drained).allMatch(Map::isEmpty);
        for (Resolution r : first.values()) {
            for (FileVersion loser : r.losers()) {
                assertThat(loser.vv().compare(r.winner().vv())).isEqualTo(VersionVector.Order.CONCURRENT);
            }
        }
    }

    /** The merge as first written: every path's candidates gathered in a hash map, then resolved. */
    private static SortedMap<VaultPath, Resolution> byPath(List<Map<VaultPath, FileVersion>> views) {
        Map<VaultPath, List<FileVersion>> candidates = new HashMap<>();
        views.forEach(v -> v.values().forEach(f -> candidates.computeIfAbsent(f.path(), k -> new ArrayList<>()).add(f)));
        SortedMap<VaultPath, Resolution> out = new TreeMap<>();
        candidates.forEach((p, l) -> out.put(p, Merge.resolve(l)));
        return out;
    }

    private static Map<VaultPath, FileVersion> view(FileVersion... vs) {
        Map<VaultPath, FileVersion> m = new TreeMap<>();
        for (FileVersion v : vs) {
            m.put(v.path(), v);
        }
        return m;
    }

    /** The newest-first fold (which skips covered commits) equals applying the log in order. */
    @Property(tries = 200)
    void foldNewestFirst_equalsTheForwardFold(@ForAll long seed) {
        Random rnd = new Random(seed);
        List<String> dirs = List.of("~/a", "~/a/b", "~/c", "/etc");
        List<ComputerView.Step> steps = new ArrayList<>();
        ComputerView forward = new ComputerView();
        int commits = 1 + rnd.nextInt(6);
        for (int s = 1; s <= commits; s++) {
            List<VaultPath> roots = new ArrayList<>();
            for (String d : dirs) {
                if (rnd.nextInt(3) == 0) {
                    roots.add(VaultPath.parse(d));
                }
            }
            if (roots.isEmpty()) {
                roots.add(VaultPath.parse(dirs.get(rnd.nextInt(dirs.size()))));
            }
            List<FileVersion> versions = new ArrayList<>();
            java.util.Set<VaultPath> seen = new java.util.HashSet<>();
            for (VaultPath r : roots) {
                for (int f = 0; f < 3; f++) {
                    FileVersion v = file(r + "/f" + rnd.nextInt(4), "s" + s, s, vv(A, s), A);
                    if (seen.add(v.path())) {
                        versions.add(v);
                    }
                }
            }
            forward.apply(roots, versions);
            steps.add(new ComputerView.Step(List.copyOf(roots), () -> versions));
        }
        assertThat(ComputerView.foldNewestFirst(steps)).isEqualTo(forward.entries());
    }
}
