package org.ciphersync.core.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.inventory.Skipped;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.core.state.EngineArea;

/**
 * Compares the inventories of 2–5 nodes (S9). A pure function on values: no I/O.
 *
 * <p>Items are paired by {@link SyncSettings#matchKey}; matching is case-insensitive when the
 * settings say so or (AUTO) when any node's file system is. When several entries of one node map
 * to one key (for example {@code a.txt} and {@code A.txt} on a case-sensitive node compared
 * case-insensitively), none of them takes part: all are reported as {@link
 * Skipped.Reason#NAME_COLLISION}, so that no engine decision can clobber one with the other.
 *
 * <p>Content equality ({@link #sameContent}): when both entries carry fingerprints, equal file
 * hashes; otherwise (smart mode) equal size and modification times within the tolerance.
 * Content groups are assigned first-fit in node order.
 */
public final class Comparer {
    /**
     * Default modification-time tolerance: none. A same-size edit within any window would be taken
     * for "unchanged" in smart mode, so the default is exact (dates are copied to the nanosecond
     * where the file system keeps them); FAT and other coarse file systems need a window of 2 s
     * ({@code --mtime-window}), like rsync's {@code --modify-window}.
     */
    public static final long DEFAULT_MTIME_TOLERANCE_NANOS = 0L;
    public static final int MIN_NODES = 2;
    public static final int MAX_NODES = 5;

    private Comparer() {
    }

    public static Comparison compare(List<NodeInventory> inventories, SyncSettings settings) {
        return compare(inventories, settings, DEFAULT_MTIME_TOLERANCE_NANOS);
    }

    public static Comparison compare(List<NodeInventory> inventories, SyncSettings settings, long mtimeToleranceNanos) {
        Objects.requireNonNull(settings, "settings == null");
        if (inventories.size() < MIN_NODES || inventories.size() > MAX_NODES) {
            throw new IllegalArgumentException("a comparison needs " + MIN_NODES + "–" + MAX_NODES
                    + " nodes, got " + inventories.size());
        }
        if (mtimeToleranceNanos < 0) {
            throw new IllegalArgumentException("mtime tolerance " + mtimeToleranceNanos + " < 0");
        }
        List<String> ids = new ArrayList<>();
        boolean allSensitive = true;
        for (NodeInventory inv : inventories) {
            if (ids.contains(inv.nodeId())) {
                throw new IllegalArgumentException("node id " + inv.nodeId() + " appears twice");
            }
            ids.add(inv.nodeId());
            allSensitive &= inv.caseSensitive();
        }
        boolean cs = settings.effectiveCaseSensitive(allSensitive);
        int n = inventories.size();

        Map<String, List<Skipped>> skipped = new LinkedHashMap<>();
        Map<String, InventoryEntry[]> byKey = new HashMap<>();
        for (int i = 0; i < n; i++) {
            NodeInventory inv = inventories.get(i);
            List<Skipped> sk = new ArrayList<>(inv.skipped());
            Map<String, List<InventoryEntry>> keyed = new LinkedHashMap<>();
            for (InventoryEntry e : inv.entries()) {
                if (EngineArea.isReserved(e.path()) || !wanted(e, settings)) {
                    continue;
                }
                keyed.computeIfAbsent(settings.matchKey(e.path(), cs), k -> new ArrayList<>(1)).add(e);
            }
            for (Map.Entry<String, List<InventoryEntry>> ke : keyed.entrySet()) {
                List<InventoryEntry> es = ke.getValue();
                if (es.size() > 1) {
                    for (InventoryEntry e : es) {
                        sk.add(new Skipped(e.path().value(), Skipped.Reason.NAME_COLLISION,
                                es.size() + " names on node " + inv.nodeId() + " denote the same item when compared "
                                        + (cs ? "by name" : "case-insensitively") + "; rename all but one"));
                    }
                    continue;
                }
                byKey.computeIfAbsent(ke.getKey(), k -> new InventoryEntry[n])[i] = es.getFirst();
            }
            skipped.put(inv.nodeId(), sk);
        }

        TreeMap<org.ciphersync.core.path.RelPath, ComparisonRow> rows = new TreeMap<>();
        List<ComparisonRow> extra = new ArrayList<>();
        for (Map.Entry<String, InventoryEntry[]> ke : byKey.entrySet()) {
            ComparisonRow row = row(ke.getKey(), ids, ke.getValue(), mtimeToleranceNanos);
            if (rows.putIfAbsent(row.path(), row) != null) {
                extra.add(row); // same display path, other key (possible with NAME matching)
            }
        }
        List<ComparisonRow> ordered = new ArrayList<>(rows.values());
        ordered.addAll(extra);
        return new Comparison(ids, cs, mtimeToleranceNanos, ordered, skipped);
    }

    private static boolean wanted(InventoryEntry e, SyncSettings s) {
        return switch (s.items()) {
            case FILES -> e.type() != EntryType.DIRECTORY || s.matching() == SyncSettings.Matching.RELATIVE_PATH;
            case DIRECTORIES -> e.type() == EntryType.DIRECTORY;
            case BOTH -> true;
        } && !(s.matching() == SyncSettings.Matching.NAME && e.type() == EntryType.DIRECTORY);
    }

    /** Builds one row; exposed for table tests. */
    static ComparisonRow row(String key, List<String> ids, InventoryEntry[] entries, long tol) {
        int n = ids.size();
        int[] group = new int[n];
        List<InventoryEntry> reps = new ArrayList<>();
        org.ciphersync.core.path.RelPath path = null;
        EntryType firstType = null;
        boolean typeConflict = false;
        boolean missing = false;
        for (int i = 0; i < n; i++) {
            InventoryEntry e = entries[i];
            if (e == null) {
                missing = true;
                continue;
            }
            if (path == null) {
                path = e.path();
                firstType = e.type();
            } else if (e.type() != firstType) {
                typeConflict = true;
            }
            int g = 0;
            for (int r = 0; r < reps.size(); r++) {
                if (sameContent(reps.get(r), e, tol)) {
                    g = r + 1;
                    break;
                }
            }
            if (g == 0) {
                reps.add(e);
                g = reps.size();
            }
            group[i] = g;
        }
        List<Cell> cells = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cells.add(new Cell(ids.get(i), entries[i], group[i]));
        }
        ItemStatus status;
        if (typeConflict) {
            status = ItemStatus.TYPE_CONFLICT;
        } else if (missing) {
            status = ItemStatus.MISSING_ON_SOME;
        } else if (reps.size() > 1) {
            status = ItemStatus.DIFFERENT_CONTENT;
        } else if (firstType == EntryType.FILE && !sameDates(entries, tol)) {
            status = ItemStatus.DIFFERENT_DATE_ONLY;
        } else {
            status = ItemStatus.SAME;
        }
        return new ComparisonRow(key, path, cells, status);
    }

    private static boolean sameDates(InventoryEntry[] entries, long tol) {
        InventoryEntry first = null;
        for (InventoryEntry e : entries) {
            if (e == null) {
                continue;
            }
            if (first == null) {
                first = e;
            } else if (!sameMtime(first.mtimeNanos(), e.mtimeNanos(), tol)) {
                return false;
            }
        }
        return true;
    }

    /** Whether two modification times are equal within the tolerance. */
    public static boolean sameMtime(long a, long b, long tol) {
        return Math.abs(a - b) <= tol;
    }

    /**
     * Whether two items have equal content: same type; directories always; files and links by
     * fingerprint when both have one, else by size and modification time (within the tolerance).
     */
    public static boolean sameContent(InventoryEntry a, InventoryEntry b, long tol) {
        if (a.type() != b.type()) {
            return false;
        }
        if (a.type() == EntryType.DIRECTORY) {
            return true;
        }
        if (a.size() != b.size()) {
            return false;
        }
        if (a.fingerprint() != null && b.fingerprint() != null) {
            return a.fingerprint().sameContent(b.fingerprint());
        }
        return sameMtime(a.mtimeNanos(), b.mtimeNanos(), tol);
    }
}
