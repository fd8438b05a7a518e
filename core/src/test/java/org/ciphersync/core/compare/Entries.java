package org.ciphersync.core.compare;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.path.RelPath;

/** Builds inventory values for table tests. */
public final class Entries {
    public static final long T = 1_700_000_000_000_000_000L;
    public static final long SEC = 1_000_000_000L;

    private Entries() {
    }

    /** A file with a fingerprint of {@code content}. */
    public static InventoryEntry file(String path, String content, long mtime) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return new InventoryEntry(RelPath.of(path), EntryType.FILE, b.length, mtime, 0644, -1,
                Fingerprinter.ofBytes(b, ChunkerParams.SYNC));
    }

    /** A file without fingerprint (smart mode did not hash it). */
    public static InventoryEntry bare(String path, long size, long mtime) {
        return new InventoryEntry(RelPath.of(path), EntryType.FILE, size, mtime, 0644, -1, null);
    }

    public static InventoryEntry dir(String path) {
        return new InventoryEntry(RelPath.of(path), EntryType.DIRECTORY, 0, T, 0755, -1, null);
    }

    public static NodeInventory node(String id, InventoryEntry... entries) {
        return new NodeInventory(id, true, List.of(entries), List.of());
    }
}
