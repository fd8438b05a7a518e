package org.ciphersync.core.fs;

/** What a directory entry is. Symlinks are never followed by the engine. */
public enum EntryType {
    FILE, DIRECTORY, SYMLINK,
    /** Device, socket, FIFO: never synchronized, reported as skipped. */
    OTHER
}
