package org.ciphersync.vault.sync;

import java.util.Objects;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;

/**
 * This computer's last synchronized version of a path (after an up-sync or a down-sync), with the
 * size and mtime the local file (or folder) had then, so an unchanged file is recognized without
 * reading it. A local size and mtime of -1 mark the local entry as changed since (conflicts, folders
 * whose local times were kept), so the next up-sync publishes it.
 *
 * @param version         the version as stored in the vault
 * @param localSize       the local file's size at that moment
 * @param localMtimeNanos the local file's mtime at that moment
 */
public record SyncedVersion(FileVersion version, long localSize, long localMtimeNanos) {
    public SyncedVersion {
        Objects.requireNonNull(version, "version == null");
    }

    /** Whether {@code disk} is still what was synchronized (size+mtime, then content). */
    public boolean unchanged(LocalFile disk) {
        if (disk == null) {
            return version.isDeleted();
        }
        if (version.isDeleted()) {
            return false;
        }
        if (version.isFolder()) {
            // a folder's content is its metadata: unchanged when its mtime is the recorded one and its mode the version's
            return disk.kind() == EntryKind.DIR && disk.mtimeNanos() == localMtimeNanos
                    && (version.mode() < 0 || disk.mode() < 0 || disk.mode() == version.mode());
        }
        if (disk.kind() == version.kind() && disk.size() == localSize && disk.mtimeNanos() == localMtimeNanos) {
            return true;
        }
        return disk.hasContentOf(version);
    }
}
