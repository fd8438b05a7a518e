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
 */
public record LocalFile(EntryKind kind, long size, long mtimeNanos, Supplier<byte[]> contentHash, String linkTarget) {
    public LocalFile {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(contentHash, "contentHash == null");
        Objects.requireNonNull(linkTarget, "linkTarget == null");
    }

    /** Whether this disk entry holds exactly {@code v}'s content. */
    public boolean hasContentOf(FileVersion v) {
        return switch (v.kind()) {
            case FILE -> kind == EntryKind.FILE && size == v.size() && Arrays.equals(contentHash.get(), v.contentHash());
            case SYMLINK -> kind == EntryKind.SYMLINK && linkTarget.equals(v.linkTarget());
            default -> false;
        };
    }
}
