package org.ciphersync.vault.sync;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;

/**
 * What is on this computer's disk at a path now, with the content hash computed only when a
 * decision needs it.
 *
 * @param kind        {@link EntryKind#FILE}, {@link EntryKind#SYMLINK} or {@link EntryKind#DIR}
 * @param size        size in bytes
 * @param mtimeNanos  modification time
 * @param contentHash computes the file's content hash (core Fingerprint.fileHash with the vault's chunker)
 * @param linkTarget  the link text (links only, else empty)
 * @param mode        POSIX permission bits, or -1 when unknown (read for folders; -1 for the others)
 */
public record LocalFile(EntryKind kind, long size, long mtimeNanos, Supplier<byte[]> contentHash, String linkTarget, int mode) {
    public LocalFile {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(contentHash, "contentHash == null");
        Objects.requireNonNull(linkTarget, "linkTarget == null");
    }

    /** A file or link, whose mode the decisions do not need. */
    public LocalFile(EntryKind kind, long size, long mtimeNanos, Supplier<byte[]> contentHash, String linkTarget) {
        this(kind, size, mtimeNanos, contentHash, linkTarget, -1);
    }

    /** A folder with its mtime and mode. */
    public static LocalFile folder(long mtimeNanos, int mode) {
        return new LocalFile(EntryKind.DIR, 0, mtimeNanos, () -> new byte[0], "", mode);
    }

    /**
     * Whether this disk entry holds exactly {@code v}'s content; for a folder version, whether this
     * is a folder with its mtime and (when known on both sides) its mode.
     */
    public boolean hasContentOf(FileVersion v) {
        return switch (v.kind()) {
            case FILE -> kind == EntryKind.FILE && size == v.size() && Arrays.equals(contentHash.get(), v.contentHash());
            case SYMLINK -> kind == EntryKind.SYMLINK && linkTarget.equals(v.linkTarget());
            case DIR -> kind == EntryKind.DIR && mtimeNanos == v.mtimeNanos() && (v.mode() < 0 || mode < 0 || mode == v.mode());
            default -> false;
        };
    }
}
