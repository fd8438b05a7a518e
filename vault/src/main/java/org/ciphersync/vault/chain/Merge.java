package org.ciphersync.vault.chain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;

/**
 * The deterministic merge of all computers' views (docs/design.md (Vault) §4.3).
 *
 * <p>For each path the candidates are the versions the views hold. Candidates with equal
 * version vectors are the same version. A candidate dominated by another is history. When
 * exactly one maximal candidate remains it wins (fast-forward); several maximal candidates are
 * concurrent changes: a conflict, whose winner is chosen by {@link #TIE_BREAK} (newest mtime, then
 * computer id, then origin time, then content) and whose losers are kept as conflict copies.
 * The result depends only on the <em>set</em> of candidates, never on the order of the views.
 */
public final class Merge {
    /** Orders concurrent versions; the greatest wins. A total order on distinct versions. */
    public static final Comparator<FileVersion> TIE_BREAK = Comparator
            .comparingLong(FileVersion::mtimeNanos)
            .thenComparing(FileVersion::origin)
            .thenComparingLong(FileVersion::originTime)
            .thenComparing(FileVersion::contentHashHex)
            .thenComparing(v -> v.kind().code())
            .thenComparing(FileVersion::linkTarget)
            .thenComparing(v -> v.vv().toString());

    private Merge() {
    }

    /** Merges views (each a map path → version) into path → resolution, sorted by path. */
    public static SortedMap<VaultPath, Resolution> merge(Collection<? extends Map<VaultPath, FileVersion>> views) {
        List<Iterator<FileVersion>> its = new ArrayList<>();
        for (Map<VaultPath, FileVersion> view : views) {
            SortedMap<VaultPath, FileVersion> sorted = view instanceof SortedMap<VaultPath, FileVersion> s && s.comparator() == null
                    ? s : new TreeMap<>(view);
            its.add(sorted.values().iterator());
        }
        return mergeSorted(its);
    }

    /**
     * Merges views like {@link #merge}, emptying each (path-sorted) view as it goes, so that a view's
     * entries can be collected while the merged state grows: a million-path vault never holds
     * every view and the whole merged state at once.
     */
    public static SortedMap<VaultPath, Resolution> mergeDraining(List<? extends NavigableMap<VaultPath, FileVersion>> views) {
        List<Iterator<FileVersion>> its = new ArrayList<>();
        for (NavigableMap<VaultPath, FileVersion> view : views) {
            if (view.comparator() != null) {
                throw new IllegalArgumentException("views must be sorted by path");
            }
            Iterator<FileVersion> it = view.values().iterator();
            its.add(new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public FileVersion next() {
                    FileVersion v = it.next();
                    it.remove();
                    return v;
                }
            });
        }
        return mergeSorted(its);
    }

    /** The k-way merge of views given as iterators over versions in path order. */
    private static SortedMap<VaultPath, Resolution> mergeSorted(List<Iterator<FileVersion>> views) {
        FileVersion[] heads = new FileVersion[views.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = views.get(i).hasNext() ? views.get(i).next() : null;
        }
        TreeMap<VaultPath, Resolution> out = new TreeMap<>();
        List<FileVersion> candidates = new ArrayList<>(heads.length);
        while (true) {
            VaultPath min = null;
            for (FileVersion h : heads) {
                if (h != null && (min == null || h.path().compareTo(min) < 0)) {
                    min = h.path();
                }
            }
            if (min == null) {
                return out;
            }
            candidates.clear();
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] != null && heads[i].path().equals(min)) {
                    candidates.add(heads[i]);
                    heads[i] = views.get(i).hasNext() ? views.get(i).next() : null;
                }
            }
            out.put(min, resolve(candidates));
        }
    }

    /** Resolves the candidates of one path. {@code list} MUST be non-empty. */
    public static Resolution resolve(List<FileVersion> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no candidates to resolve");
        }
        if (list.size() == 1) {
            return new Resolution(list.get(0), List.of());
        }
        List<FileVersion> maximal = new ArrayList<>();
        for (FileVersion c : list) {
            boolean dominatedOrDuplicate = false;
            for (FileVersion o : list) {
                if (o == c) {
                    continue;
                }
                VersionVector.Order r = o.vv().compare(c.vv());
                if (r == VersionVector.Order.DOMINATES) {
                    dominatedOrDuplicate = true;
                    break;
                }
            }
            if (!dominatedOrDuplicate) {
                maximal.add(c);
            }
        }
        // Equal vectors are one version: keep the greatest representative of each vector.
        Map<VersionVector, FileVersion> byVector = new HashMap<>();
        for (FileVersion m : maximal) {
            byVector.merge(m.vv(), m, (a, b) -> TIE_BREAK.compare(a, b) >= 0 ? a : b);
        }
        List<FileVersion> distinct = new ArrayList<>(byVector.values());
        distinct.sort(TIE_BREAK.reversed());
        return new Resolution(distinct.get(0), distinct.subList(1, distinct.size()));
    }
}
