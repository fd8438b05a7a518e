package org.ciphersync.core.state;

import java.util.Objects;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.inventory.InventoryEntry;

/**
 * What one item looked like on one node when the node set was last synchronized.
 *
 * @param type        file, directory or link
 * @param size        bytes (0 for directories)
 * @param mtimeNanos  modification time as the node's file system reported it
 * @param fileHashHex the content's file hash (hex) when known, else null
 */
public record ItemState(EntryType type, long size, long mtimeNanos, String fileHashHex) {
    public ItemState {
        Objects.requireNonNull(type, "type == null");
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " < 0");
        }
    }

    public static ItemState of(InventoryEntry e) {
        return new ItemState(e.type(), e.isDirectory() ? 0 : e.size(), e.mtimeNanos(),
                e.fingerprint() == null ? null : e.fingerprint().fileHashHex());
    }

    /**
     * Whether {@code e} is still this state: same type, and for files same size and exact mtime,
     * and same hash when both sides know it. Directories match by type only.
     */
    public boolean matches(InventoryEntry e) {
        if (e == null || e.type() != type) {
            return false;
        }
        if (type == EntryType.DIRECTORY) {
            return true;
        }
        if (e.size() != size || e.mtimeNanos() != mtimeNanos) {
            return false;
        }
        return fileHashHex == null || e.fingerprint() == null || fileHashHex.equals(e.fingerprint().fileHashHex());
    }
}
