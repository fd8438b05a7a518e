package org.ciphersync.vault.sync;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ciphersync.core.path.InvalidPathException;
import org.ciphersync.vault.chain.Resolution;
import org.ciphersync.vault.chain.VersionVector;
import org.ciphersync.vault.tree.EntryKind;
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
 *
 * <p>Folders (the vault's version is a folder, or a folder this computer synchronized was deleted):
 * <table>
 * <caption>folder decisions</caption>
 * <tr><th>last synced L</th><th>disk D</th><th>merged M</th><th>action</th></tr>
 * <tr><td>covers M</td><td>any</td><td>any</td><td>none</td></tr>
 * <tr><td>any</td><td>absent</td><td>folder</td><td>RESTORE (create it)</td></tr>
 * <tr><td>any</td><td>a file or link</td><td>folder</td><td>CONFLICT (the local entry stays, nothing written)</td></tr>
 * <tr><td>any</td><td>folder with M's mtime and mode</td><td>folder</td><td>ADOPT</td></tr>
 * <tr><td>none, or unchanged since L</td><td>folder</td><td>folder</td><td>UPDATE (M's mtime and mode)</td></tr>
 * <tr><td>changed since L</td><td>folder</td><td>folder</td><td>ADOPT, local times and mode kept (published by the next up-sync)</td></tr>
 * <tr><td>folder, M dominates it</td><td>folder, empty once the planned deletes are done</td><td>deleted</td><td>DELETE</td></tr>
 * <tr><td>folder</td><td>folder, otherwise</td><td>deleted</td><td>CONFLICT (the folder and what it holds stay)</td></tr>
 * </table>
 */
public final class DownPlanner {
    private DownPlanner() {
    }

    /**
     * @param merged  the merged vault state
     * @param synced  this computer's last synchronized versions
     * @param disk    what is on disk at a path (null when absent)
     * @param listing the names in a local folder (null when it cannot be listed)
     * @param only    which paths were chosen (selective restore)
     */
    public static List<Action> plan(SortedMap<VaultPath, Resolution> merged, Map<VaultPath, SyncedVersion> synced,
                                    Function<VaultPath, LocalFile> disk, Function<VaultPath, List<String>> listing,
                                    Predicate<VaultPath> only) {
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
        keepFoldersThatStayNonEmpty(out, listing);
        return out;
    }

    /**
     * A folder is deleted only when everything in it is deleted by the same plan (deepest first,
     * so a sub-folder that goes counts as gone); otherwise its DELETE becomes a CONFLICT that keeps
     * it: a file the vault does not know, or one it keeps, is never deleted.
     */
    private static void keepFoldersThatStayNonEmpty(List<Action> plan, Function<VaultPath, List<String>> listing) {
        Set<VaultPath> gone = new HashSet<>();
        for (Action a : plan) {
            if (a.kind() == Action.Kind.DELETE && !a.folder()) {
                gone.add(a.path());
            }
        }
        for (int i = plan.size() - 1; i >= 0; i--) { // sorted by path: what a folder holds comes after it
            Action a = plan.get(i);
            if (a.kind() != Action.Kind.DELETE || !a.folder()) {
                continue;
            }
            if (emptiedBy(a.path(), gone, listing)) {
                gone.add(a.path());
            } else {
                plan.set(i, new Action(Action.Kind.CONFLICT, a.path(), a.resolution(), "deleted by "
                        + a.resolution().winner().origin().shortForm() + ", but the local folder holds other files; kept", true));
            }
        }
    }

    private static boolean emptiedBy(VaultPath dir, Set<VaultPath> gone, Function<VaultPath, List<String>> listing) {
        List<String> names = listing.apply(dir);
        if (names == null) {
            return false;
        }
        for (String n : names) {
            try {
                if (!gone.contains(dir.resolve(n))) {
                    return false;
                }
            } catch (InvalidPathException e) {
                return false; // a name the vault cannot hold is certainly not the vault's to delete
            }
        }
        return true;
    }

    static Action decide(VaultPath p, Resolution r, SyncedVersion last, Function<VaultPath, LocalFile> disk) {
        FileVersion m = r.winner();
        if (last != null && last.version().vv().covers(m.vv())) {
            return null;
        }
        // Newer: the vault's version was made knowing ours. Otherwise both changed (concurrent).
        boolean newer = last != null && m.vv().compare(last.version().vv()) == VersionVector.Order.DOMINATES;
        LocalFile d = disk.apply(p);
        if (m.isFolder()) {
            return decideFolder(p, r, last, d);
        }
        if (m.isDeleted()) {
            if (d == null) {
                return last == null ? null : new Action(Action.Kind.ADOPT, p, r, "deleted here and in the vault",
                        last.version().isFolder());
            }
            if (last == null) {
                return null; // never synchronized here: the local file is not ours to delete
            }
            if (last.version().isFolder() && d.kind() == EntryKind.DIR) {
                return newer
                        ? new Action(Action.Kind.DELETE, p, r, "folder deleted by " + m.origin().shortForm(), true)
                        : new Action(Action.Kind.CONFLICT, p, r, "changed here, deleted by " + m.origin().shortForm()
                                + "; local folder kept", true);
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
        if (newer && !last.version().isDeleted() && !last.version().isFolder() && last.unchanged(d)) { // a folder is never replaced
            return new Action(Action.Kind.OVERWRITE, p, r, "newer version from " + m.origin().shortForm());
        }
        return new Action(Action.Kind.CONFLICT, p, r, last == null
                ? "a different local file exists; both kept"
                : "changed here and by " + m.origin().shortForm() + "; both kept");
    }

    private static Action decideFolder(VaultPath p, Resolution r, SyncedVersion last, LocalFile d) {
        FileVersion m = r.winner();
        String who = m.origin().shortForm();
        if (d == null) {
            return new Action(Action.Kind.RESTORE, p, r, last == null || last.version().isDeleted() ? "new folder in the vault"
                    : "folder deleted here, changed in the vault", true);
        }
        if (d.kind() != EntryKind.DIR) {
            return new Action(Action.Kind.CONFLICT, p, r, "a folder from " + who + " where a local "
                    + (d.kind() == EntryKind.SYMLINK ? "link" : "file") + " is; local entry kept", true);
        }
        if (d.hasContentOf(m)) {
            return new Action(Action.Kind.ADOPT, p, r, "folder already identical", true);
        }
        if (last == null || last.unchanged(d)) {
            return new Action(Action.Kind.UPDATE, p, r, "folder times and permissions from " + who, true);
        }
        return new Action(Action.Kind.ADOPT, p, r, "folder changed here too; its local times and permissions are kept", true);
    }
}
