package org.ciphersync.vault.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ciphersync.vault.chain.Resolution;
import org.ciphersync.vault.chain.VersionVector;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;

/**
 * Decides what a down-sync does, as a pure function of the merged state, this computer's last
 * synchronized state and what is on disk (docs/design.md (Vault) §4.4). Preview and down-sync both
 * call {@link #plan}, so a preview lists exactly what the down-sync then does.
 *
 * <table>
 * <caption>decisions</caption>
 * <tr><th>last synced L</th><th>disk D</th><th>merged M</th><th>action</th></tr>
 * <tr><td>covers M</td><td>any</td><td>any</td><td>none</td></tr>
 * <tr><td>any</td><td>same content as M (or absent and M deleted)</td><td>any</td><td>ADOPT</td></tr>
 * <tr><td>any</td><td>absent</td><td>file</td><td>RESTORE</td></tr>
 * <tr><td>present, M dominates it</td><td>unchanged since L</td><td>file</td><td>OVERWRITE</td></tr>
 * <tr><td>present, M dominates it</td><td>unchanged since L</td><td>deleted</td><td>DELETE</td></tr>
 * <tr><td>absent, concurrent with M, or disk changed</td><td>present, different</td><td>file or deleted</td><td>CONFLICT</td></tr>
 * </table>
 * A path the vault deleted and this computer never synchronized stays untouched.
 */
public final class DownPlanner {
    private DownPlanner() {
    }

    /**
     * @param merged the merged vault state
     * @param synced this computer's last synchronized versions
     * @param disk   what is on disk at a path (null when absent)
     * @param only   which paths were chosen (selective restore)
     */
    public static List<Action> plan(SortedMap<VaultPath, Resolution> merged, Map<VaultPath, SyncedVersion> synced,
                                    Function<VaultPath, LocalFile> disk, Predicate<VaultPath> only) {
        List<Action> out = new ArrayList<>();
        for (Map.Entry<VaultPath, Resolution> e : merged.entrySet()) {
            VaultPath p = e.getKey();
            if (!only.test(p)) {
                continue;
            }
            Action a = decide(p, e.getValue(), synced.get(p), disk);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    static Action decide(VaultPath p, Resolution r, SyncedVersion last, Function<VaultPath, LocalFile> disk) {
        FileVersion m = r.winner();
        if (last != null && last.version().vv().covers(m.vv())) {
            return null;
        }
        // Newer: the vault's version was made knowing ours. Otherwise both changed (concurrent).
        boolean newer = last != null && m.vv().compare(last.version().vv()) == VersionVector.Order.DOMINATES;
        LocalFile d = disk.apply(p);
        if (m.isDeleted()) {
            if (d == null) {
                return last == null ? null : new Action(Action.Kind.ADOPT, p, r, "deleted here and in the vault");
            }
            if (last == null) {
                return null; // never synchronized here: the local file is not ours to delete
            }
            if (newer && last.unchanged(d)) {
                return new Action(Action.Kind.DELETE, p, r, "deleted by " + m.origin().shortForm());
            }
            return new Action(Action.Kind.CONFLICT, p, r, "changed here, deleted by " + m.origin().shortForm() + "; local file kept");
        }
        if (d == null) {
            return new Action(Action.Kind.RESTORE, p, r, last == null ? "new in the vault" : "deleted here, changed in the vault");
        }
        if (d.hasContentOf(m)) {
            return new Action(Action.Kind.ADOPT, p, r, "already identical");
        }
        if (newer && !last.version().isDeleted() && last.unchanged(d)) {
            return new Action(Action.Kind.OVERWRITE, p, r, "newer version from " + m.origin().shortForm());
        }
        return new Action(Action.Kind.CONFLICT, p, r, last == null
                ? "a different local file exists; both kept"
                : "changed here and by " + m.origin().shortForm() + "; both kept");
    }
}
