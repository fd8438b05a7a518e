package org.ciphersync.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.fs.MemoryFileTree;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.settings.SyncSettings;

/** Properties of the inventory engine over random in-memory trees. */
class InventoryProperties {
    static final ChunkerParams SMALL = new ChunkerParams(64, 256, 1024);
    static final long OLD = 1_600_000_000_000_000_000L;
    static final Inventory INVENTORY = new Inventory(new Inventory.Options(SMALL, 2));

    /** A random tree: relative file path → content, plus per-file edits for the second node. */
    record Case(Map<String, byte[]> files, Map<String, Integer> edits) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> name = Arbitraries.of("a", "b", "c", "D", "e.txt", "f.bin", "caf\u00e9", "x y");
        Arbitrary<String> path = name.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
        Arbitrary<byte[]> content = Arbitraries.longs().flatMap(seed -> Arbitraries.integers().between(0, 3000)
                .map(n -> random(seed, n)));
        Arbitrary<Map<String, byte[]>> files = Arbitraries.maps(path, content).ofMaxSize(25);
        // edit kinds: 0 same, 1 same size+mtime other content, 2 other mtime, 3 other size, 4 absent
        Arbitrary<Integer> edit = Arbitraries.integers().between(0, 4);
        return files.flatMap(f -> Arbitraries.maps(Arbitraries.of(f.isEmpty() ? List.of("none") : List.copyOf(f.keySet())), edit)
                .ofMaxSize(10).map(e -> new Case(f, e)));
    }

    /** Builds the tree; drops files whose path conflicts with a directory of another file. */
    static MemoryFileTree tree(Map<String, byte[]> files, Map<String, Integer> edits, boolean second) throws IOException {
        MemoryFileTree t = MemoryFileTree.builder().clock(() -> OLD).build();
        for (Map.Entry<String, byte[]> e : sortedByDepth(files).entrySet()) {
            String p = e.getKey();
            int edit = second ? edits.getOrDefault(p, 0) : 0;
            if (edit == 4) {
                continue;
            }
            RelPath rp = RelPath.of(p);
            try {
                if (!rp.parent().isRoot()) {
                    t.createDirectories(rp.parent());
                }
                if (t.stat(rp).isPresent()) {
                    continue;
                }
                byte[] c = e.getValue();
                if (edit == 1 && c.length > 0) {
                    c = c.clone();
                    c[0] ^= 1;
                } else if (edit == 3) {
                    c = java.util.Arrays.copyOf(c, c.length + 1);
                }
                t.write(p, c);
                t.setMtime(rp, edit == 2 ? OLD + 1 : OLD);
            } catch (IOException conflict) {
                // a file where a directory is needed (or the reverse): leave it out
            }
        }
        return t;
    }

    static Map<String, byte[]> sortedByDepth(Map<String, byte[]> files) {
        List<String> keys = new ArrayList<>(files.keySet());
        keys.sort((x, y) -> x.length() - y.length() != 0 ? x.length() - y.length() : x.compareTo(y));
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, files.get(k));
        }
        return out;
    }

    static InventoryResult run(SyncSettings s, InventoryCache cache, MemoryFileTree... trees) throws IOException {
        List<DataSource> src = new ArrayList<>();
        for (int i = 0; i < trees.length; i++) {
            src.add(DataSource.directory("N" + i, trees[i]));
        }
        return INVENTORY.run(src, s, cache, InventoryListener.NOOP);
    }

    @Property(tries = 150)
    void checksumMode_fingerprintsEqualDirectComputation_inSortedOrder(@ForAll("cases") Case c) throws IOException {
        MemoryFileTree t = tree(c.files(), c.edits(), false);
        NodeInventory n = run(SyncSettings.defaults().withAnalysis(SyncSettings.AnalysisMode.CHECKSUM),
                InventoryCache.NONE, t).nodes().get(0);
        assertThat(n.entries()).extracting(InventoryEntry::path).isSorted().doesNotHaveDuplicates();
        assertThat(n.skipped()).isEmpty();
        assertThat(n.entries().stream().map(InventoryEntry::path).toList())
                .containsExactlyInAnyOrderElementsOf(t.snapshot().keySet());
        for (InventoryEntry e : n.entries()) {
            if (e.isFile()) {
                assertThat(e.fingerprint()).isEqualTo(Fingerprinter.ofBytes(t.read(e.path().value()), SMALL));
            }
            if (!e.path().parent().isRoot()) {
                assertThat(n.entries()).extracting(InventoryEntry::path).contains(e.path().parent());
            }
        }
    }

    @Property(tries = 150)
    void smartMode_fingerprintsExactlyThePairsThatDifferInSizeOrDate(@ForAll("cases") Case c) throws IOException {
        MemoryFileTree a = tree(c.files(), c.edits(), false);
        MemoryFileTree b = tree(c.files(), c.edits(), true);
        InventoryResult smart = run(SyncSettings.defaults(), InventoryCache.NONE, a, b);
        Map<RelPath, InventoryEntry> na = byPath(smart.nodes().get(0));
        Map<RelPath, InventoryEntry> nb = byPath(smart.nodes().get(1));
        for (InventoryEntry e : na.values()) {
            if (!e.isFile()) {
                continue;
            }
            InventoryEntry o = nb.get(e.path());
            boolean pairDiffers = o != null && o.isFile()
                    && (o.size() != e.size() || o.mtimeNanos() != e.mtimeNanos());
            assertThat(e.fingerprint() != null).as("%s fingerprinted", e.path()).isEqualTo(pairDiffers);
            if (pairDiffers) {
                assertThat(o.fingerprint()).isEqualTo(Fingerprinter.ofBytes(b.read(o.path().value()), SMALL));
                assertThat(e.fingerprint()).isEqualTo(Fingerprinter.ofBytes(a.read(e.path().value()), SMALL));
            }
        }
    }

    @Property(tries = 100)
    void warmCacheRescan_readsNothing_andReturnsTheSameInventory(@ForAll("cases") Case c) throws IOException {
        MemoryFileTree t = tree(c.files(), c.edits(), false);
        MapCache cache = new MapCache();
        SyncSettings s = SyncSettings.defaults().withAnalysis(SyncSettings.AnalysisMode.CHECKSUM);
        InventoryResult first = run(s, cache, t);
        InventoryResult second = run(s, cache, t);
        assertThat(second.stats().hashedBytes()).isZero();
        assertThat(second.stats().hashedFiles()).isZero();
        assertThat(second.nodes()).isEqualTo(first.nodes());
    }

    static byte[] random(long seed, int n) {
        byte[] d = new byte[n];
        new org.ciphersync.core.chunk.SplitMix64(seed).nextBytes(d);
        return d;
    }

    static Map<RelPath, InventoryEntry> byPath(NodeInventory n) {
        Map<RelPath, InventoryEntry> m = new HashMap<>();
        for (InventoryEntry e : n.entries()) {
            m.put(e.path(), e);
        }
        return m;
    }

    /** An in-memory cache with the contract's semantics. */
    static final class MapCache implements InventoryCache {
        final Map<String, Map<RelPath, Cached>> roots = new HashMap<>();

        @Override
        public synchronized Map<RelPath, Cached> load(String root, ChunkerParams params) {
            return Map.copyOf(roots.getOrDefault(root + params, Map.of()));
        }

        @Override
        public synchronized void save(String root, ChunkerParams params, Collection<InventoryEntry> entries) {
            Map<RelPath, Cached> m = new HashMap<>();
            for (InventoryEntry e : entries) {
                if (e.isFile() && e.fingerprint() != null) {
                    m.put(e.path(), new Cached(e.size(), e.mtimeNanos(), e.fileKey(), e.fingerprint()));
                }
            }
            roots.put(root + params, m);
        }

        @Override
        public void close() {
        }
    }

}
