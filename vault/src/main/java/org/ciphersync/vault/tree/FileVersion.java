package org.ciphersync.vault.tree;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.chain.VersionVector;

/**
 * One version of one path as up-synced by a computer: the unit the merge works on.
 *
 * @param path        where it lives
 * @param kind        {@link EntryKind#FILE}, {@link EntryKind#SYMLINK}, {@link EntryKind#DIR} (a folder's own
 *                    version: its times and permissions; what it holds are the versions below it) or
 *                    {@link EntryKind#DELETED}
 * @param size        content size in bytes (0 for links, folders and tombstones)
 * @param mtimeNanos  modification time in nanoseconds since the epoch
 * @param mode        POSIX permission bits, or -1 when unknown
 * @param contentHash SHA-256 over the chunks' SHA-256 (core's {@code Fingerprint.fileHash}); 32 bytes
 *                    for files, empty otherwise
 * @param chunks      the content's blob ids in file order (files only)
 * @param linkTarget  the link text (links only, else empty)
 * @param vv          the version vector of this version
 * @param origin      the computer that made this version
 * @param originTime  when it was up-synced (ms since the epoch)
 */
public record FileVersion(VaultPath path, EntryKind kind, long size, long mtimeNanos, int mode,
                          byte[] contentHash, List<BlobId> chunks, String linkTarget,
                          VersionVector vv, ComputerId origin, long originTime) {

    public FileVersion {
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(contentHash, "contentHash == null");
        Objects.requireNonNull(linkTarget, "linkTarget == null");
        Objects.requireNonNull(vv, "vv == null");
        Objects.requireNonNull(origin, "origin == null");
        chunks = List.copyOf(Objects.requireNonNull(chunks, "chunks == null"));
        contentHash = contentHash.clone();
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " of " + path + " is negative");
        }
        if (kind == EntryKind.FILE && contentHash.length != 32) {
            throw new IllegalArgumentException("content hash of " + path + " has " + contentHash.length + " bytes, expected 32");
        }
        if (kind != EntryKind.FILE && (!chunks.isEmpty() || size != 0)) {
            throw new IllegalArgumentException(kind + " " + path + " cannot have content");
        }
        if (path.isRoot()) {
            throw new IllegalArgumentException("a version cannot be stored for the root " + path);
        }
    }

    /** A tombstone for {@code path}. */
    public static FileVersion deleted(VaultPath path, long mtimeNanos, VersionVector vv, ComputerId origin, long originTime) {
        return new FileVersion(path, EntryKind.DELETED, 0, mtimeNanos, -1, new byte[0], List.of(), "", vv, origin, originTime);
    }

    /** A folder's own version (its mtime and POSIX mode; mode -1 when unknown). */
    public static FileVersion folder(VaultPath path, long mtimeNanos, int mode, VersionVector vv, ComputerId origin, long originTime) {
        return new FileVersion(path, EntryKind.DIR, 0, mtimeNanos, mode, new byte[0], List.of(), "", vv, origin, originTime);
    }

    public boolean isDeleted() {
        return kind == EntryKind.DELETED;
    }

    public boolean isFolder() {
        return kind == EntryKind.DIR;
    }

    public String contentHashHex() {
        return HexFormat.of().formatHex(contentHash);
    }

    @Override
    public byte[] contentHash() {
        return contentHash.clone();
    }

    /**
     * Whether both describe the same content (kind, hash, link target); times and vectors aside.
     * A folder's content is its metadata: two folder versions are the same when mtime and mode are.
     */
    public boolean sameContent(FileVersion o) {
        if (kind == EntryKind.DIR) {
            return o.kind == EntryKind.DIR && mtimeNanos == o.mtimeNanos && mode == o.mode;
        }
        return kind == o.kind && Arrays.equals(contentHash, o.contentHash) && linkTarget.equals(o.linkTarget)
                && size == o.size;
    }

    /** A copy with another version vector, origin and time (used when up-syncing a change). */
    public FileVersion withVersion(VersionVector newVv, ComputerId newOrigin, long newOriginTime) {
        return new FileVersion(path, kind, size, mtimeNanos, mode, contentHash, chunks, linkTarget, newVv, newOrigin, newOriginTime);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileVersion f && path.equals(f.path) && kind == f.kind && size == f.size
                && mtimeNanos == f.mtimeNanos && mode == f.mode && Arrays.equals(contentHash, f.contentHash)
                && chunks.equals(f.chunks) && linkTarget.equals(f.linkTarget) && vv.equals(f.vv)
                && origin.equals(f.origin) && originTime == f.originTime;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, kind, size, mtimeNanos, vv, origin) * 31 + Arrays.hashCode(contentHash);
    }

    @Override
    public String toString() {
        return kind + " " + path + " (" + size + " bytes, vv " + vv + ")";
    }
}
