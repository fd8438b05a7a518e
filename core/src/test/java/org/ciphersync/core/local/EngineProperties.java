package org.ciphersync.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.fs.FileAttrs;
import org.ciphersync.core.fs.MemoryFileTree;
import org.ciphersync.core.path.RelPath;

/**
 * Engine-level properties on in-memory trees, through {@link LocalSync}: mirror makes every node
 * equal A; after any preset a second run plans nothing; two-way never loses a version.
 *
 * <p>Trees are drawn from a small set of paths (including a name that is a file on one node and a
 * directory on another) and versions; a version's modification time is derived from it, so equal
 * size and date mean equal content, as smart analysis assumes.
 */
class EngineProperties {
    static final List<String> PATHS = List.of("a", "b", "d1", "d1/a", "d1/b", "d2/x", "d2/d3/y", "d2/d3/z");
    static final long BASE = 1_700_000_000L;

    /** path → version (1..n). */
    @Provide
    Arbitrary<Map<String, Integer>> tree() {
        return Arbitraries.maps(Arbitraries.of(PATHS), Arbitraries.integers().between(1, 4)).ofMaxSize(6)
                .map(EngineProperties::consistent);
    }

    @Provide
    Arbitrary<List<Map<String, Integer>>> trees() {
        return tree().list().ofMinSize(2).ofMaxSize(3);
    }

    /** Drops files whose path is also a parent of another chosen file. */
    static Map<String, Integer> consistent(Map<String, Integer> m) {
        Map<String, Integer> out = new TreeMap<>(m);
        for (String p : m.keySet()) {
            for (String q : m.keySet()) {
                if (q.startsWith(p + "/")) {
                    out.remove(p);
                }
            }
        }
        return out;
    }

    static MemoryFileTree build(String name, Map<String, Integer> spec) throws IOException {
        MemoryFileTree t = MemoryFileTree.builder().name(name).build();
        for (Map.Entry<String, Integer> e : spec.entrySet()) {
            put(t, e.getKey(), e.getValue());
        }
        return t;
    }

    static void put(MemoryFileTree t, String path, int version) throws IOException {
        RelPath p = RelPath.of(path);
        // make room: a file on the way to p, or a directory at p, goes away (as a user would do)
        for (RelPath q = p.parent(); q != null && !q.isRoot(); q = q.parent()) {
            var a = t.stat(q);
            if (a.isPresent() && !a.get().isDirectory()) {
                t.delete(q);
            }
        }
        var a = t.stat(p);
        if (a.isPresent() && a.get().isDirectory()) {
            deleteTree(t, p);
        }
        Trees.write(t, path, "content-" + version, BASE + version * 100L);
    }

    static void deleteTree(MemoryFileTree t, RelPath p) throws IOException {
        java.util.Optional<FileAttrs> a;
        try {
            a = t.stat(p);
        } catch (java.nio.file.FileSystemException notADirectoryOnTheWay) {
            return;
        }
        if (a.isEmpty()) {
            return;
        }
        if (a.get().isDirectory()) {
            for (var e : t.list(p)) {
                deleteTree(t, p.resolve(e.name()));
            }
        }
        t.delete(p);
    }

    static MemoryFileTree[] buildAll(List<Map<String, Integer>> specs) throws IOException {
        MemoryFileTree[] ts = new MemoryFileTree[specs.size()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = build("n" + i, specs.get(i));
        }
        return ts;
    }

    static final LocalSyncOptions FORCED = LocalSyncOptions.defaults(SyncMode.MIRROR).withForce(true).withThreads(2);

    @Property(tries = 150)
    void mirror_makesEveryNodeEqualA_andASecondRunPlansNothing(@ForAll("trees") List<Map<String, Integer>> specs)
            throws Exception {
        MemoryFileTree[] ts = buildAll(specs);
        LocalSyncReport r = Trees.sync(FORCED, ts);
        assertThat(r.problems()).isEmpty();
        for (MemoryFileTree t : ts) {
            assertThat(Trees.visible(t)).isEqualTo(Trees.visible(ts[0]));
        }
        assertThat(Trees.sync(FORCED, ts).plan().actions()).isEmpty();
    }

    @Property(tries = 100)
    void update_bringsEveryFileOfAEverywhere_andASecondRunPlansNothing(
            @ForAll("trees") List<Map<String, Integer>> specs) throws Exception {
        MemoryFileTree[] ts = buildAll(specs);
        LocalSyncOptions o = FORCED.withSettings(FORCED.settings());
        o = new LocalSyncOptions(o.settings(), SyncMode.UPDATE, null, List.of(), false, true, 1, 10, null, 2,
                o.mtimeToleranceNanos(), o.chunker(), null);
        LocalSyncReport r = Trees.sync(o, ts);
        assertThat(r.problems()).isEmpty();
        Map<RelPath, String> a = Trees.visible(ts[0]);
        for (MemoryFileTree t : ts) {
            assertThat(Trees.visible(t)).containsAllEntriesOf(a);
        }
        assertThat(Trees.sync(o, ts).plan().actions()).isEmpty();
    }

    /** An edit: a path and a version, or 0 to delete it. */
    record Edit(int node, String path, int version) {
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.of(PATHS),
                Arbitraries.integers().between(0, 8)).as(Edit::new).list().ofMaxSize(6);
    }

    @Property(tries = 150)
    void twoWay_neverLosesAVersion_convergesAndSettles(@ForAll("trees") List<Map<String, Integer>> specs,
                                                       @ForAll("edits") List<Edit> edits) throws Exception {
        MemoryFileTree[] ts = buildAll(specs);
        LocalSyncOptions o = LocalSyncOptions.defaults(SyncMode.TWO_WAY).withForce(true).withThreads(2);
        check(o, ts);
        for (Edit e : edits) {
            MemoryFileTree t = ts[e.node() % ts.length];
            if (e.version() == 0) {
                deleteTree(t, RelPath.of(e.path()));
            } else {
                put(t, e.path(), e.version());
            }
        }
        check(o, ts);
        assertThat(Trees.sync(o, ts).plan().actions()).isEmpty();
    }

    /** One two-way run: no problem, every content kept (in a tree or a versions area), trees equal. */
    private static void check(LocalSyncOptions o, MemoryFileTree[] ts) throws Exception {
        Set<String> before = new HashSet<>();
        for (MemoryFileTree t : ts) {
            before.addAll(Trees.visible(t).values());
        }
        before.removeIf(v -> !v.startsWith("file:"));
        LocalSyncReport r = Trees.sync(o, ts);
        assertThat(r.problems()).isEmpty();
        Set<String> after = new HashSet<>();
        for (MemoryFileTree t : ts) {
            after.addAll(Trees.allContents(t));
        }
        assertThat(after).containsAll(before);
        for (MemoryFileTree t : ts) {
            assertThat(Trees.visible(t)).isEqualTo(Trees.visible(ts[0]));
        }
    }

    @Property(tries = 30)
    void fileTypeHelper_isAFile(@ForAll @IntRange(min = 1, max = 4) int v) throws IOException {
        MemoryFileTree t = build("t", Map.of("a", v));
        FileAttrs a = t.stat(RelPath.of("a")).orElseThrow();
        assertThat(a.type()).isEqualTo(EntryType.FILE);
        assertThat(new ArrayList<>(Trees.visible(t).values())).containsExactly("file:content-" + v);
    }
}
