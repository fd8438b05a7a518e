package org.ciphersync.core.fs;

/**
 * Metadata of one entry, read without following links.
 *
 * @param type       what the entry is
 * @param size       bytes for files, 0 otherwise
 * @param mtimeNanos modification time in nanoseconds since the epoch (the file system's precision)
 * @param posixMode  permission bits (e.g. 0644), or -1 where the file system has none
 * @param fileKey    a stable identity of the underlying file (inode and device) or -1 when unknown;
 *                   the inventory cache uses it to notice a replaced file with equal size and mtime
 */
public record FileAttrs(EntryType type, long size, long mtimeNanos, int posixMode, long fileKey) {
    public static final int NO_MODE = -1;

    public boolean isFile() {
        return type == EntryType.FILE;
    }

    public boolean isDirectory() {
        return type == EntryType.DIRECTORY;
    }
}
