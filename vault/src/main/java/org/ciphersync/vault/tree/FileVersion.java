package org.ciphersync.vault.tree;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.chain.VersionVector;

/**
 * One version of one path as up-synced by a computer: the unit the merge works on.
 *
 * <p>Immutable; the content hash and chunk ids are copied in and out.
 */
public final class FileVersion {
    private final VaultPath path;
    private final EntryKind kind;
    private final long size;
    private final long mtimeNanos;
    private final int mode;
    /**
     * The content hash followed by the chunk ids, in one array: a million small files hold a
     * million versions, and one array costs less than a hash array, a list and an id object per chunk.
     */
    private final byte[] content;
    private final String linkTarget;
    private final VersionVector vv;
    private final ComputerId origin;
    private final long originTime;

    /**
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
    public FileVersion(VaultPath path, EntryKind kind, long size, long mtimeNanos, int mode,
                       byte[] contentHash, List<BlobId> chunks, String linkTarget,
                       VersionVector vv, ComputerId origin, long originTime) {
        this(path, kind, size, mtimeNanos, mode, content(path, kind, contentHash, chunks), linkTarget, vv, origin, originTime);
    }

    /** {@code content} is the hash then the chunk ids, owned by the new version. */
    FileVersion(VaultPath path, EntryKind kind, long size, long mtimeNanos, int mode, byte[] content, String linkTarget,
                VersionVector vv, ComputerId origin, long originTime) {
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(linkTarget, "linkTarget == null");
        Objects.requireNonNull(vv, "vv == null");
        Objects.requireNonNull(origin, "origin == null");
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " of " + path + " is negative");
        }
        if (kind == EntryKind.FILE && (content.length < 32 || (content.length - 32) % BlobId.LENGTH != 0)) {
            throw new IllegalArgumentException("content hash of " + path + " has " + Math.min(content.length, 32)
                    + " bytes, expected 32");
        }
        if (kind != EntryKind.FILE && size != 0) {
            throw new IllegalArgumentException(kind + " " + path + " cannot have content");
        }
        if (path.isRoot()) {
            throw new IllegalArgumentException("a version cannot be stored for the root " + path);
        }
        this.path = path;
        this.kind = kind;
        this.size = size;
        this.mtimeNanos = mtimeNanos;
        this.mode = mode;
        this.content = content;
        this.linkTarget = linkTarget;
        this.vv = vv;
        this.origin = origin;
        this.originTime = originTime;
    }

    private static byte[] content(VaultPath path, EntryKind kind, byte[] contentHash, List<BlobId> chunks) {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(contentHash, "contentHash == null");
        Objects.requireNonNull(chunks, "chunks == null");
        if (kind == EntryKind.FILE && contentHash.length != 32) {
            throw new IllegalArgumentException("content hash of " + path + " has " + contentHash.length + " bytes, expected 32");
        }
        if (kind != EntryKind.FILE && !chunks.isEmpty()) {
            throw new IllegalArgumentException(kind + " " + path + " cannot have content");
        }
        byte[] out = Arrays.copyOf(contentHash, contentHash.length + chunks.size() * BlobId.LENGTH);
        int at = contentHash.length;
        for (BlobId c : chunks) {
            c.copyTo(out, at);
            at += BlobId.LENGTH;
        }
        return out;
    }

    public VaultPath path() {
        return path;
    }

    public EntryKind kind() {
        return kind;
    }

    /** Content size in bytes (0 for links, folders and tombstones). */
    public long size() {
        return size;
    }

    /** Modification time in nanoseconds since the epoch. */
    public long mtimeNanos() {
        return mtimeNanos;
    }

    /** POSIX permission bits, or -1 when unknown. */
    public int mode() {
        return mode;
    }

    /** The link text (links only, else empty). */
    public String linkTarget() {
        return linkTarget;
    }

    public VersionVector vv() {
        return vv;
    }

    public ComputerId origin() {
        return origin;
    }

    /** When it was up-synced (ms since the epoch). */
    public long originTime() {
        return originTime;
    }

    private int hashLength() {
        return kind == EntryKind.FILE ? 32 : content.length;
    }

    /** SHA-256 over the chunks' SHA-256; 32 bytes for files, empty otherwise. */
    public byte[] contentHash() {
        return Arrays.copyOf(content, hashLength());
    }

    public int chunkCount() {
        return (content.length - hashLength()) / BlobId.LENGTH;
    }

    /** The content's blob ids in file order (files only; a new list on each call). */
    public List<BlobId> chunks() {
        int n = chunkCount();
        int at = hashLength();
        List<BlobId> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(BlobId.of(content, at + i * BlobId.LENGTH));
        }
        return Collections.unmodifiableList(out);
    }

    /** Writes the content hash, the chunk count and the chunk ids (the tree and state layout). */
    void writeContent(DataOutputStream d) throws IOException {
        int h = hashLength();
        d.write(content, 0, h);
        d.writeInt(chunkCount());
        d.write(content, h, content.length - h);
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
        return HexFormat.of().formatHex(content, 0, hashLength());
    }

    /**
     * Whether both describe the same content (kind, hash, link target); times and vectors aside.
     * A folder's content is its metadata: two folder versions are the same when mtime and mode are.
     */
    public boolean sameContent(FileVersion o) {
        if (kind == EntryKind.DIR) {
            return o.kind == EntryKind.DIR && mtimeNanos == o.mtimeNanos && mode == o.mode;
        }
        return kind == o.kind && Arrays.equals(content, 0, hashLength(), o.content, 0, o.hashLength())
                && linkTarget.equals(o.linkTarget) && size == o.size;
    }

    /** A copy with another version vector, origin and time (used when up-syncing a change). */
    public FileVersion withVersion(VersionVector newVv, ComputerId newOrigin, long newOriginTime) {
        return new FileVersion(path, kind, size, mtimeNanos, mode, content, linkTarget, newVv, newOrigin, newOriginTime);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileVersion f && path.equals(f.path) && kind == f.kind && size == f.size
                && mtimeNanos == f.mtimeNanos && mode == f.mode && Arrays.equals(content, f.content)
                && linkTarget.equals(f.linkTarget) && vv.equals(f.vv)
                && origin.equals(f.origin) && originTime == f.originTime;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, kind, size, mtimeNanos, vv, origin) * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return kind + " " + path + " (" + size + " bytes, vv " + vv + ")";
    }
}
