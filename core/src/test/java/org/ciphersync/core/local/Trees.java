package org.ciphersync.core.local;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.fs.MemoryFileTree;
import org.ciphersync.core.inventory.DataSource;
import org.ciphersync.core.inventory.InventoryCache;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.state.EngineArea;

/** Helpers for engine tests on in-memory trees. */
final class Trees {
    private Trees() {
    }

    static LocalSync.InventoryProvider scanner(LocalSyncOptions o) {
        return LocalSync.inventoryWith(InventoryCache.NONE, o);
    }

    static LocalSyncReport sync(LocalSyncOptions o, FileTree... trees) throws Exception {
        String[] ids = {"A", "B", "C", "D", "E"};
        List<DataSource> ds = new java.util.ArrayList<>();
        for (int i = 0; i < trees.length; i++) {
            ds.add(DataSource.directory(ids[i], trees[i]));
        }
        return LocalSync.run(ds, o, scanner(o), SyncListener.NOOP);
    }

    /** The user-visible content of a tree (engine area and temporaries left out). */
    static Map<RelPath, String> visible(MemoryFileTree t) {
        Map<RelPath, String> m = new TreeMap<>();
        t.snapshot().forEach((p, v) -> {
            if (!EngineArea.isReserved(p)) {
                m.put(p, v);
            }
        });
        return m;
    }

    /** Every file content anywhere in the tree, versions area included. */
    static List<String> allContents(MemoryFileTree t) {
        return t.snapshot().entrySet().stream().filter(e -> e.getValue().startsWith("file:")
                        && !e.getKey().startsWith(EngineArea.STATE))
                .map(Map.Entry::getValue).toList();
    }

    static void write(MemoryFileTree t, String path, String content, long mtimeSeconds) throws IOException {
        RelPath p = RelPath.of(path);
        if (p.parent() != null && !p.parent().isRoot()) {
            t.createDirectories(p.parent());
        }
        t.write(path, content);
        t.setMtime(p, mtimeSeconds * 1_000_000_000L);
    }
}
