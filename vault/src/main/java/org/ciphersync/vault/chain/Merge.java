package org.ciphersync.vault.chain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        Map<VaultPath, List<FileVersion>> candidates = new HashMap<>();
        for (Map<VaultPath, FileVersion> view : views) {
            for (FileVersion v : view.values()) {
                candidates.computeIfAbsent(v.path(), k -> new ArrayList<>(2)).add(v);
            }
        }
        TreeMap<VaultPath, Resolution> out = new TreeMap<>();
        candidates.forEach((path, list) -> out.put(path, resolve(list)));
        return out;
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
