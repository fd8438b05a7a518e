package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.ciphersync.vault.chain.Resolution;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;

/**
 * The folder actions of a down-sync, around the file actions (docs/design.md (Vault) §4.4):
 * <ol>
 *   <li>{@link #create}: folders to RESTORE are created, parents first;</li>
 *   <li>(the file actions run);</li>
 *   <li>{@link #delete}: folders to DELETE are removed deepest first, each only if it is empty now
 *       (never what the vault does not know; replaced and deleted files are already in the
 *       versions area);</li>
 *   <li>{@link #finish}: deepest first, created and UPDATEd folders get the vault's mode and mtime,
 *       and every other folder of the vault whose content the run changed gets back the mtime it
 *       had before the run, so writing into a folder does not make it look changed to the next
 *       up-sync.</li>
 * </ol>
 * Single-threaded; it runs before and after the parallel file writers.
 */
final class FolderPass {
    /** Where each folder action ends. */
    interface Outcome {
        void done(Action a, SyncedVersion synced);

        void failed(Action a, String message);
    }

    private final Path home;
    private final List<Action> creates = new ArrayList<>();
    private final List<Action> updates = new ArrayList<>();
    private final List<Action> deletes = new ArrayList<>();
    private final Set<VaultPath> created = new HashSet<>();
    /** The vault's folders whose content the run changes, with their mtime before the run. */
    private final Map<VaultPath, Long> timesBefore = new TreeMap<>();

    private FolderPass(Path home) {
        this.home = home;
    }

    /**
     * Splits off the folder actions of {@code plan} and records, before anything is written, the
     * mtime of every folder of the vault that the run writes into.
     */
    static FolderPass of(List<Action> plan, SortedMap<VaultPath, Resolution> merged, Function<VaultPath, LocalFile> disk,
                         Path home) {
        FolderPass f = new FolderPass(home);
        for (Action a : plan) {
            if (handles(a)) {
                (a.kind() == Action.Kind.RESTORE ? f.creates : a.kind() == Action.Kind.UPDATE ? f.updates : f.deletes).add(a);
            }
            if (a.touchesDisk() && a.kind() != Action.Kind.UPDATE && a.path().parent() != null) {
                VaultPath parent = a.path().parent();
                Resolution r = merged.get(parent);
                LocalFile before = r != null && r.winner().isFolder() ? disk.apply(parent) : null;
                if (before != null && before.kind() == EntryKind.DIR) {
                    f.timesBefore.put(parent, before.mtimeNanos());
                }
            }
        }
        f.deletes.sort((x, y) -> y.path().compareTo(x.path())); // what a folder holds goes first
        return f;
    }

    /** Whether {@code a} is done by this pass rather than by the file writers. */
    static boolean handles(Action a) {
        return a.folder() && (a.kind() == Action.Kind.RESTORE || a.kind() == Action.Kind.UPDATE || a.kind() == Action.Kind.DELETE);
    }

    private Path base(VaultPath p) {
        return p.home() ? home : Path.of("/");
    }

    void create(Outcome out) {
        for (Action a : creates) { // sorted by path: parents first
            Path dir = a.path().toLocal(home);
            try {
                SafePaths.checkNoLinkBetween(base(a.path()), dir);
                Files.createDirectories(dir.getParent());
                SafePaths.checkNoLinkBetween(base(a.path()), dir);
                try {
                    Files.createDirectory(dir);
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                        throw new IOException("a file appeared at " + dir + " since the preview; nothing was changed there");
                    }
                }
                created.add(a.path());
            } catch (IOException e) {
                out.failed(a, "cannot create the folder: " + e.getMessage());
            }
        }
    }

    void delete(Outcome out) {
        for (Action a : deletes) {
            Path dir = a.path().toLocal(home);
            try {
                SafePaths.checkNoLinkBetween(base(a.path()), dir);
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(dir); // only an empty folder can be deleted
                } else if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("a file appeared at " + dir + " since the preview; it was kept");
                }
                timesBefore.remove(a.path());
                out.done(a, new SyncedVersion(a.resolution().winner(), 0, 0));
            } catch (DirectoryNotEmptyException e) {
                out.failed(a, "folder kept: it is not empty (something was added to it since the preview,"
                        + " or a file in it could not be deleted)");
            } catch (IOException e) {
                out.failed(a, "cannot delete the folder: " + e.getMessage());
            }
        }
    }

    void finish(Outcome out) {
        TreeMap<VaultPath, Action> targets = new TreeMap<>();
        for (Action a : creates) {
            if (created.contains(a.path())) {
                targets.put(a.path(), a);
            }
        }
        for (Action a : updates) {
            targets.put(a.path(), a);
        }
        TreeMap<VaultPath, Long> all = new TreeMap<>(timesBefore);
        targets.keySet().forEach(p -> all.put(p, 0L));
        for (Map.Entry<VaultPath, Long> e : all.descendingMap().entrySet()) { // deepest first
            VaultPath p = e.getKey();
            Path dir = p.toLocal(home);
            Action a = targets.get(p);
            try {
                SafePaths.checkNoLinkBetween(base(p), dir);
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException(dir + " is no longer a folder");
                }
                if (a == null) {
                    Files.setLastModifiedTime(dir, FileTime.from(e.getValue(), TimeUnit.NANOSECONDS));
                    continue;
                }
                FileVersion m = a.resolution().winner();
                long mtime = PosixModes.applyFolder(dir, m.mode(), m.mtimeNanos());
                out.done(a, new SyncedVersion(m, 0, mtime));
            } catch (IOException ex) {
                if (a != null) {
                    out.failed(a, "cannot set the folder's times and permissions: " + ex.getMessage());
                }
                // a folder whose time could not be put back only looks changed to the next up-sync
            }
        }
    }
}
