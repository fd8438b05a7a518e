package org.ciphersync.core.apply;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.ciphersync.core.fs.DirEntry;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.state.EngineArea;

/**
 * Removes temporary files ({@value EngineArea#TEMP_PREFIX}…) that a crashed or killed apply left
 * behind. {@link #clean(FileTree, NodeInventory)} deletes those an inventory listed (no extra
 * walk: a local synchronization uses it right after the scan; the comparison never treats them as
 * items anyway). {@link #clean(FileTree)} walks the whole tree (directory listings only, links not
 * followed, unlistable directories passed over) for callers without an inventory.
 */
public final class TempCleaner {
    private TempCleaner() {
    }

    /** Deletes the leftover temporary files the inventory of this tree listed; returns how many. */
    public static int clean(FileTree tree, NodeInventory inventory) {
        int n = 0;
        for (InventoryEntry e : inventory.entries()) {
            if (e.isFile() && EngineArea.isTempName(e.path().name())) {
                try {
                    tree.delete(e.path());
                    n++;
                } catch (IOException ignored) {
                    // left for the next run; the comparison never treats it as an item
                }
            }
        }
        return n;
    }

    /** Deletes every leftover temporary file below the root; returns how many. */
    public static int clean(FileTree tree) throws IOException {
        int n = 0;
        Deque<RelPath> todo = new ArrayDeque<>();
        todo.push(RelPath.ROOT);
        while (!todo.isEmpty()) {
            RelPath dir = todo.pop();
            Iterable<DirEntry> entries;
            try {
                entries = tree.list(dir);
            } catch (IOException e) {
                if (dir.isRoot()) {
                    throw e;
                }
                continue;
            }
            for (DirEntry e : entries) {
                if (RelPath.problem(e.name()) != null || e.name().contains("/")) {
                    continue;
                }
                RelPath p = dir.resolve(e.name());
                if (e.attrs().isDirectory()) {
                    todo.push(p);
                } else if (e.attrs().isFile() && EngineArea.isTempName(e.name())) {
                    try {
                        tree.delete(p);
                        n++;
                    } catch (IOException ignored) {
                        // left for the next run; the comparison never treats it as an item
                    }
                }
            }
        }
        return n;
    }
}
