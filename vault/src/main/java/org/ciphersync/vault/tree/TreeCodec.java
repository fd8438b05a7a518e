package org.ciphersync.vault.tree;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.ciphersync.core.path.InvalidPathException;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.chain.VersionVector;

/**
 * Encodes a set of {@link FileVersion}s as restic-style trees (one blob per folder) and decodes
 * them back. See docs/design.md (Vault) §4.2; the byte layout of one tree blob is:
 *
 * <pre>
 * "CST1"  u32 count  entry*          (entries sorted by name, names unique)
 * entry = u16 nameLen name(UTF-8) u8 kind
 *         DIR:      subtree(32)
 *         other:    i64 size i64 mtimeNanos i32 mode
 *                   FILE: hash(32) u32 n chunk(32)*n
 *                   SYMLINK: u16 len target(UTF-8)
 *                   u16 vvCount (computer(16) i64 counter)*  origin(16) i64 originTime
 * </pre>
 *
 * The root tree holds at most the two folders {@code ~} (home) and {@code /} (absolute). Because
 * encoding is canonical, an unchanged folder has the same id in every snapshot and is stored once.
 * Decoding treats its input as hostile: every count and length is checked against what remains
 * and against fixed bounds, names are validated as path segments, order and uniqueness checked.
 */
public final class TreeCodec {
    private static final byte[] MAGIC = "CST1".getBytes(StandardCharsets.US_ASCII);
    /** Most entries one tree blob may hold. */
    public static final int MAX_ENTRIES_PER_TREE = 1_000_000;
    /** Most chunks one file may have (4 TiB of average chunks). */
    public static final int MAX_CHUNKS_PER_FILE = 4_000_000;
    /** Deepest folder nesting accepted. */
    public static final int MAX_DEPTH = 1024;

    private TreeCodec() {
    }

    /** The encoded trees: the root's id and every tree blob (children before parents). */
    public record Encoded(BlobId root, Map<BlobId, byte[]> blobs) {
    }

    /**
     * Encodes {@code versions} (paths MUST be unique and no path may be both a file and a folder
     * prefix of another; a tombstone that collides with a folder is dropped).
     *
     * @param idOf the keyed id of a tree blob's bytes
     */
    public static Encoded encode(Collection<FileVersion> versions, Function<byte[], BlobId> idOf) {
        Node root = new Node();
        for (FileVersion v : versions) {
            Node n = root.dir(v.path().home() ? "~" : "/");
            String rel = v.path().rel().value();
            String[] parts = rel.split("/");
            boolean dropped = false;
            for (int i = 0; i < parts.length - 1 && !dropped; i++) {
                Object existing = n.children.get(parts[i]);
                if (existing instanceof FileVersion f) {
                    if (f.isDeleted()) {
                        n.children.remove(parts[i]);
                    } else if (v.isDeleted()) {
                        dropped = true; // a tombstone below what is now a file says nothing more
                        break;
                    } else {
                        throw new IllegalArgumentException("path " + v.path() + " lies below the file " + f.path());
                    }
                }
                n = n.dir(parts[i]);
            }
            if (dropped) {
                continue;
            }
            String last = parts[parts.length - 1];
            Object existing = n.children.get(last);
            if (existing instanceof Node) {
                if (v.isDeleted()) {
                    dropped = true;
                } else {
                    throw new IllegalArgumentException("file " + v.path() + " is also a folder of other paths");
                }
            } else if (existing != null) {
                throw new IllegalArgumentException("path " + v.path() + " appears twice");
            }
            if (!dropped) {
                n.children.put(last, v);
            }
        }
        Map<BlobId, byte[]> blobs = new LinkedHashMap<>();
        BlobId rootId = write(root, idOf, blobs);
        return new Encoded(rootId, blobs);
    }

    private static BlobId write(Node node, Function<byte[], BlobId> idOf, Map<BlobId, byte[]> out) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(bos);
            d.write(MAGIC);
            d.writeInt(node.children.size());
            for (Map.Entry<String, Object> e : node.children.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                d.writeShort(name.length);
                d.write(name);
                if (e.getValue() instanceof Node child) {
                    d.writeByte(EntryKind.DIR.code());
                    BlobId sub = write(child, idOf, out);
                    d.write(sub.bytes());
                } else {
                    FileVersion v = (FileVersion) e.getValue();
                    d.writeByte(v.kind().code());
                    writeFields(d, v);
                }
            }
            d.flush();
            byte[] bytes = bos.toByteArray();
            BlobId id = idOf.apply(bytes);
            out.putIfAbsent(id, bytes);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a version's fields after its kind byte (size, mtime, mode, content or link, vector,
     * origin), the layout shared by tree blobs and the local state file.
     */
    public static void writeFields(DataOutputStream d, FileVersion v) throws IOException {
        d.writeLong(v.size());
        d.writeLong(v.mtimeNanos());
        d.writeInt(v.mode());
        if (v.kind() == EntryKind.FILE) {
            d.write(v.contentHash());
            d.writeInt(v.chunks().size());
            for (BlobId c : v.chunks()) {
                d.write(c.bytes());
            }
        } else if (v.kind() == EntryKind.SYMLINK) {
            byte[] t = v.linkTarget().getBytes(StandardCharsets.UTF_8);
            if (t.length > 0xffff) {
                throw new IllegalArgumentException("link target of " + v.path() + " is longer than 65535 bytes");
            }
            d.writeShort(t.length);
            d.write(t);
        }
        d.writeShort(v.vv().counters().size());
        for (Map.Entry<ComputerId, Long> c : v.vv().counters().entrySet()) {
            d.write(c.getKey().bytes());
            d.writeLong(c.getValue());
        }
        d.write(v.origin().bytes());
        d.writeLong(v.originTime());
    }

    /** Reads what {@link #writeFields} wrote, for {@code path} of {@code kind}; hostile input allowed. */
    public static FileVersion readFields(ByteBuffer b, VaultPath path, EntryKind kind, String where) {
        try {
            Leaf l = readLeaf(b, kind, where, path.toString());
            return new FileVersion(path, l.kind, l.size, l.mtime, l.mode, l.hash, l.chunks, l.target, l.vv, l.origin, l.originTime);
        } catch (BufferUnderflowException e) {
            throw new TreeFormatException(where + " is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new TreeFormatException(where + " entry " + path + " is invalid: " + e.getMessage(), e);
        }
    }

    private static Leaf readLeaf(ByteBuffer b, EntryKind kind, String where, String name) {
        long size = b.getLong();
        long mtime = b.getLong();
        int mode = b.getInt();
        byte[] hash = new byte[0];
        List<BlobId> chunks = List.of();
        String target = "";
        if (kind == EntryKind.FILE) {
            hash = bytes(b, 32);
            int n = b.getInt();
            if (n < 0 || n > MAX_CHUNKS_PER_FILE || (long) n * BlobId.LENGTH > b.remaining()) {
                throw new TreeFormatException(where + " entry '" + printable(name) + "' claims "
                        + Integer.toUnsignedString(n) + " chunks");
            }
            List<BlobId> cs = new ArrayList<>(n);
            for (int c = 0; c < n; c++) {
                cs.add(BlobId.of(bytes(b, BlobId.LENGTH)));
            }
            chunks = cs;
        } else if (kind == EntryKind.SYMLINK) {
            target = string(b, where, "link target");
        }
        int vvCount = b.getShort() & 0xffff;
        if (vvCount > VersionVector.MAX_ENTRIES) {
            throw new TreeFormatException(where + " entry '" + printable(name) + "' has " + vvCount + " vector entries");
        }
        TreeMap<ComputerId, Long> vv = new TreeMap<>();
        for (int c = 0; c < vvCount; c++) {
            ComputerId cid = ComputerId.fromBytes(bytes(b, ComputerId.BYTES));
            long counter = b.getLong();
            if (counter <= 0 || vv.put(cid, counter) != null) {
                throw new TreeFormatException(where + " entry '" + printable(name) + "' has a bad version vector");
            }
        }
        ComputerId origin = ComputerId.fromBytes(bytes(b, ComputerId.BYTES));
        long originTime = b.getLong();
        return new Leaf(kind, size, mtime, mode, hash, chunks, target, new VersionVector(vv), origin, originTime);
    }

    /**
     * Decodes the trees below {@code root} into versions sorted by path.
     *
     * @param load returns a tree blob's bytes (authenticated by the caller)
     * @throws TreeFormatException when a blob is malformed
     */
    public static List<FileVersion> decode(BlobId root, Function<BlobId, byte[]> load) {
        List<FileVersion> out = new ArrayList<>();
        Map<String, Object> top = parse(load.apply(root), root, true);
        for (Map.Entry<String, Object> e : top.entrySet()) {
            VaultPath base = switch (e.getKey()) {
                case "~" -> VaultPath.HOME;
                case "/" -> VaultPath.ABSOLUTE_ROOT;
                default -> throw new TreeFormatException("root tree " + root + " has an entry '" + printable(e.getKey())
                        + "'; only '~' and '/' are allowed");
            };
            if (!(e.getValue() instanceof BlobId sub)) {
                throw new TreeFormatException("root tree " + root + " entry '" + e.getKey() + "' is not a folder");
            }
            walk(base, sub, load, out, 1);
        }
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return out;
    }

    private static void walk(VaultPath dir, BlobId id, Function<BlobId, byte[]> load, List<FileVersion> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new TreeFormatException("tree " + id + " is nested deeper than " + MAX_DEPTH + " folders");
        }
        Map<String, Object> entries = parse(load.apply(id), id, false);
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            VaultPath p;
            try {
                p = dir.resolve(e.getKey());
            } catch (InvalidPathException ex) {
                throw new TreeFormatException("tree " + id + " has an invalid name: " + ex.getMessage(), ex);
            }
            if (e.getValue() instanceof BlobId sub) {
                walk(p, sub, load, out, depth + 1);
            } else {
                Leaf l = (Leaf) e.getValue();
                try {
                    out.add(new FileVersion(p, l.kind, l.size, l.mtime, l.mode, l.hash, l.chunks, l.target, l.vv, l.origin, l.originTime));
                } catch (IllegalArgumentException ex) {
                    throw new TreeFormatException("tree " + id + " entry " + p + " is invalid: " + ex.getMessage(), ex);
                }
            }
        }
    }

    private record Leaf(EntryKind kind, long size, long mtime, int mode, byte[] hash, List<BlobId> chunks, String target,
                        VersionVector vv, ComputerId origin, long originTime) {
    }

    /** Parses one tree blob into name → BlobId (folder) or Leaf. */
    private static Map<String, Object> parse(byte[] bytes, BlobId id, boolean isRoot) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new TreeFormatException("tree " + id + " does not start with the tree magic");
            }
            int count = b.getInt();
            if (count < 0 || count > MAX_ENTRIES_PER_TREE || count > b.remaining() / 4) {
                throw new TreeFormatException("tree " + id + " claims " + Integer.toUnsignedString(count) + " entries");
            }
            Map<String, Object> out = new TreeMap<>();
            String prev = null;
            for (int i = 0; i < count; i++) {
                String name = string(b, "tree " + id, "name");
                boolean valid = isRoot ? name.equals("~") || name.equals("/")
                        : !name.isEmpty() && !name.contains("/") && RelPath.problem(name) == null;
                if (!valid) {
                    throw new TreeFormatException("tree " + id + " entry " + i + " has an invalid name '" + printable(name) + "'");
                }
                if (prev != null && prev.compareTo(name) >= 0) {
                    throw new TreeFormatException("tree " + id + " entries are not sorted or not unique at '" + printable(name) + "'");
                }
                prev = name;
                EntryKind kind;
                try {
                    kind = EntryKind.ofCode(b.get() & 0xff);
                } catch (IllegalArgumentException ex) {
                    throw new TreeFormatException("tree " + id + " entry '" + printable(name) + "': " + ex.getMessage());
                }
                if (kind == EntryKind.DIR) {
                    out.put(name, BlobId.of(bytes(b, BlobId.LENGTH)));
                    continue;
                }
                out.put(name, readLeaf(b, kind, "tree " + id, name));
            }
            if (b.hasRemaining()) {
                throw new TreeFormatException("tree " + id + " has " + b.remaining() + " trailing bytes");
            }
            return out;
        } catch (BufferUnderflowException e) {
            throw new TreeFormatException("tree " + id + " is truncated", e);
        }
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        if (b.remaining() < n) {
            throw new BufferUnderflowException();
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static String string(ByteBuffer b, String where, String what) {
        int len = b.getShort() & 0xffff;
        if (len > b.remaining()) {
            throw new TreeFormatException(where + " " + what + " length " + len + " exceeds the " + b.remaining() + " bytes left");
        }
        byte[] s = bytes(b, len);
        var dec = StandardCharsets.UTF_8.newDecoder();
        try {
            return dec.decode(ByteBuffer.wrap(s)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new TreeFormatException(where + " " + what + " is not valid UTF-8");
        }
    }

    private static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** A folder being built: name → Node or FileVersion, sorted by name. */
    private static final class Node {
        final TreeMap<String, Object> children = new TreeMap<>();

        Node dir(String name) {
            Object o = children.computeIfAbsent(name, k -> new Node());
            if (!(o instanceof Node n)) {
                throw new IllegalStateException("'" + name + "' is a file");
            }
            return n;
        }
    }
}
