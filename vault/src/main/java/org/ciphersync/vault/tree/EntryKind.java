package org.ciphersync.vault.tree;

/** What a stored path is. The byte codes are part of the tree format. */
public enum EntryKind {
    /** A regular file with content chunks. */
    FILE(1),
    /**
     * A folder; in a tree blob it points to the folder's own tree and, when the folder was
     * up-synced (format CST2), carries the folder's own version (mtime, mode, vector).
     */
    DIR(2),
    /** A symbolic link; its target text is stored, never followed. */
    SYMLINK(3),
    /** A tombstone: the path was deleted by the version that carries this kind. */
    DELETED(4);

    private final int code;

    EntryKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static EntryKind ofCode(int code) {
        for (EntryKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown entry kind code " + code);
    }
}
