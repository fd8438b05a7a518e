package org.ciphersync.core.inventory;

import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.path.RelPath;

/**
 * One item of a data node's inventory.
 *
 * @param path        relative to the node's root
 * @param type        {@link EntryType#FILE}, {@link EntryType#DIRECTORY} or
 *                    {@link EntryType#SYMLINK} (links only when the policy keeps them)
 * @param size        bytes for files, 0 otherwise
 * @param mtimeNanos  modification time, nanoseconds since the epoch
 * @param posixMode   permission bits or -1
 * @param fileKey     inode identity or -1 (local use only; never sent to peers)
 * @param fingerprint the content, or null when the analysis mode did not need it
 */
public record InventoryEntry(RelPath path, EntryType type, long size, long mtimeNanos, int posixMode,
                             long fileKey, Fingerprint fingerprint) {

    public boolean isFile() {
        return type == EntryType.FILE;
    }

    public boolean isDirectory() {
        return type == EntryType.DIRECTORY;
    }

    public InventoryEntry withFingerprint(Fingerprint fp) {
        return new InventoryEntry(path, type, size, mtimeNanos, posixMode, fileKey, fp);
    }
}
