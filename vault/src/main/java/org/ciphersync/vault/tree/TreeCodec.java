package org.ciphersync.vault.tree;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
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
 * "CST2"  u32 count  entry*          (entries sorted by name, names unique)
 * entry = u16 nameLen name(UTF-8) u8 kind u8 flags
 *         flags bit 1 (HAS_TREE):    subtree(32)
 *         flags bit 0 (HAS_VERSION): i64 size i64 mtimeNanos i32 mode
 *                                    FILE: hash(32) u32 n chunk(32)*n
 *                                    SYMLINK: u16 len target(UTF-8)
 *                                    u16 vvCount (computer(16) i64 counter)*  origin(16) i64 originTime
 * (kind, flags): FILE 1, SYMLINK 1, DIR 3 (an up-synced folder: its tree and its own version) or
 *                2 (a folder above an up-synced root: only its tree), DELETED 1 or 3 (a removed
 *                folder whose tree holds the tombstones of what it held)
 * </pre>
 *
 * Trees of format {@code "CST1"} (written before folders had versions: no flags byte, a DIR entry
 * is {@code subtree(32)} only, other kinds are followed by their fields) are still read.
 *
 * <p>The root tree holds at most the two folders {@code ~} (home) and {@code /} (absolute), without
 * versions. Because encoding is canonical, an unchanged folder has the same id in every snapshot
 * and is stored once. Decoding treats its input as hostile: every count and length is checked
 * against what remains and against fixed bounds, names are validated as path segments, order,
 * uniqueness, kinds and flags checked.
 */
public final class TreeCodec {
    private static final byte[] MAGIC_V1 = "CST1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC = "CST2".getBytes(StandardCharsets.US_ASCII);
    /** Flag: the entry carries a version of its own (the fields follow). */
    private static final int HAS_VERSION = 1;
    /** Flag: the entry is a folder with a tree (its id follows). */
    private static final int HAS_TREE = 2;
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
     * Encodes {@code versions} (paths MUST be unique; no path may be a file or link and also hold
     * other paths below it). A folder version ({@link EntryKind#DIR}) becomes the folder's own
     * version, a tombstone with tombstones below becomes a removed folder, a tombstone below a
     * file or link is dropped (the file says more), and a live version below a tombstoned folder
     * drops the folder's tombstone (the folder exists).
     *
     * @param idOf the keyed id of a tree blob's bytes
     */
    public static Encoded encode(Collection<FileVersion> versions, Function<byte[], BlobId> idOf) {
        Map<BlobId, byte[]> blobs = new LinkedHashMap<>();
        BlobId rootId = encode(versions, idOf, blobs::put);
        return new Encoded(rootId, blobs);
    }

    /**
     * Encodes like {@link #encode(Collection, Function)} but hands each distinct tree blob to
     * {@code sink} as soon as it is made (children before parents) instead of holding them all;
     * returns the root's id.
     */
    public static BlobId encode(Collection<FileVersion> versions, Function<byte[], BlobId> idOf, BiConsumer<BlobId, byte[]> sink) {
        Set<BlobId> seen = new HashSet<>();
        BiConsumer<BlobId, byte[]> out = (id, bytes) -> {
            if (seen.add(id)) {
                sink.accept(id, bytes);
            }
        };
        return write(build(versions, idOf, out), idOf, out);
    }

    /**
     * Places every version in a tree of {@link Node}s, writing each folder's tree as soon as the
     * walk has left it: in path order a folder's contents directly follow it, so only the folders
     * on the current path are open, and a vault of a million files never holds a million-entry
     * tree on top of its versions. A written folder stays in its parent as a {@link Written}.
     */
    private static Node build(Collection<FileVersion> versions, Function<byte[], BlobId> idOf, BiConsumer<BlobId, byte[]> out) {
        List<FileVersion> sorted = new ArrayList<>(versions);
        sorted.sort((a, b) -> a.path().compareTo(b.path())); // a folder before what it holds
        Node root = new Node();
        List<String> openNames = new ArrayList<>();  // names from the root down to the deepest open folder
        List<Node> openNodes = new ArrayList<>();    // openNodes[i] is the folder named openNames[0..i]
        for (FileVersion v : sorted) {
            String[] chain = folderChain(v);
            int common = 0;
            while (common < openNames.size() && common < chain.length && openNames.get(common).equals(chain[common])) {
                common++;
            }
            while (openNames.size() > common) { // left behind for good: write it, keep only its id
                int last = openNames.size() - 1;
                Node parent = last == 0 ? root : openNodes.get(last - 1);
                Node done = openNodes.remove(last);
                parent.children.put(openNames.remove(last), new Written(write(done, idOf, out), done.own));
            }
            place(root, v);
            Node n = openNodes.isEmpty() ? root : openNodes.get(openNodes.size() - 1);
            for (int i = openNames.size(); i < chain.length && n.children.get(chain[i]) instanceof Node child; i++) {
                openNames.add(chain[i]);
                openNodes.add(child);
                n = child;
            }
        }
        return root;
    }

    /** The folders {@code v} lies in, from the top ({@code ~} or {@code /}) down to its parent. */
    private static String[] folderChain(FileVersion v) {
        String[] parts = v.path().rel().value().split("/");
        String[] chain = new String[parts.length];
        chain[0] = v.path().home() ? "~" : "/";
        System.arraycopy(parts, 0, chain, 1, parts.length - 1);
        return chain;
    }

    /** A folder whose tree is already written: its id and its own version (null for a folder without one). */
    private record Written(BlobId tree, FileVersion own) {
    }

    private static void place(Node root, FileVersion v) {
        Node n = root.dir(v.path().home() ? "~" : "/");
        String[] parts = v.path().rel().value().split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            Object existing = n.children.get(parts[i]);
            if (existing instanceof FileVersion f) {
                if (!f.isDeleted()) {
                    if (v.isDeleted()) {
                        return; // a tombstone below what is now a file says nothing more
                    }
                    throw new IllegalArgumentException("path " + v.path() + " lies below the file " + f.path());
                }
                Node removed = new Node();
                removed.own = f; // a removed folder: its tombstone, and the tombstones below it
                n.children.put(parts[i], removed);
            }
            n = n.dir(parts[i]);
            if (!v.isDeleted() && n.own != null && n.own.isDeleted()) {
                n.own = null; // something lives below: the folder exists
            }
        }
        String last = parts[parts.length - 1];
        if (n.children.containsKey(last)) {
            throw new IllegalArgumentException("path " + v.path() + " appears twice");
        }
        if (v.isFolder()) {
            Node folder = new Node();
            folder.own = v;
            n.children.put(last, folder);
        } else {
            n.children.put(last, v);
        }
    }

    private static BlobId write(Node node, Function<byte[], BlobId> idOf, BiConsumer<BlobId, byte[]> out) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(bos);
            d.write(MAGIC);
            d.writeInt(node.children.size());
            for (Map.Entry<String, Object> e : node.children.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                d.writeShort(name.length);
                d.write(name);
                Object value = e.getValue();
                if (value instanceof Node child) {
                    value = new Written(write(child, idOf, out), child.own);
                }
                if (value instanceof Written w) {
                    d.writeByte(w.own() == null ? EntryKind.DIR.code() : w.own().kind().code());
                    d.writeByte(HAS_TREE | (w.own() == null ? 0 : HAS_VERSION));
                    d.write(w.tree().bytes());
                    if (w.own() != null) {
                        writeFields(d, w.own());
                    }
                } else {
                    FileVersion v = (FileVersion) e.getValue();
                    d.writeByte(v.kind().code());
                    d.writeByte(HAS_VERSION);
                    writeFields(d, v);
                }
            }
            d.flush();
            byte[] bytes = bos.toByteArray();
            BlobId id = idOf.apply(bytes);
            out.accept(id, bytes);
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
            v.writeContent(d);
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
            return l.version(path);
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
        byte[] content = NO_CONTENT;
        String target = "";
        if (kind == EntryKind.FILE) {
            byte[] hash = bytes(b, 32);
            int n = b.getInt();
            if (n < 0 || n > MAX_CHUNKS_PER_FILE || (long) n * BlobId.LENGTH > b.remaining()) {
                throw new TreeFormatException(where + " entry '" + printable(name) + "' claims "
                        + Integer.toUnsignedString(n) + " chunks");
            }
            content = Arrays.copyOf(hash, 32 + n * BlobId.LENGTH); // the hash, then the chunk ids
            b.get(content, 32, n * BlobId.LENGTH);
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
        return new Leaf(kind, size, mtime, mode, content, target, new VersionVector(vv).canonical(), origin, originTime);
    }

    /**
     * Decodes the trees below {@code root} into versions sorted by path.
     *
     * @param load returns a tree blob's bytes (authenticated by the caller)
     * @throws TreeFormatException when a blob is malformed
     */
    public static List<FileVersion> decode(BlobId root, Function<BlobId, byte[]> load) {
        List<FileVersion> out = new ArrayList<>();
        Map<String, Parsed> top = parse(load.apply(root), root, true);
        for (Map.Entry<String, Parsed> e : top.entrySet()) {
            VaultPath base = switch (e.getKey()) {
                case "~" -> VaultPath.HOME;
                case "/" -> VaultPath.ABSOLUTE_ROOT;
                default -> throw new TreeFormatException("root tree " + root + " has an entry '" + printable(e.getKey())
                        + "'; only '~' and '/' are allowed");
            };
            walk(base, e.getValue().tree(), load, out, 1);
        }
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return out;
    }

    private static void walk(VaultPath dir, BlobId id, Function<BlobId, byte[]> load, List<FileVersion> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new TreeFormatException("tree " + id + " is nested deeper than " + MAX_DEPTH + " folders");
        }
        Map<String, Parsed> entries = parse(load.apply(id), id, false);
        for (Map.Entry<String, Parsed> e : entries.entrySet()) {
            VaultPath p;
            try {
                p = dir.resolve(e.getKey());
            } catch (InvalidPathException ex) {
                throw new TreeFormatException("tree " + id + " has an invalid name: " + ex.getMessage(), ex);
            }
            Leaf l = e.getValue().own();
            if (l != null) {
                try {
                    out.add(l.version(p));
                } catch (IllegalArgumentException ex) {
                    throw new TreeFormatException("tree " + id + " entry " + p + " is invalid: " + ex.getMessage(), ex);
                }
            }
            if (e.getValue().tree() != null) {
                walk(p, e.getValue().tree(), load, out, depth + 1);
            }
        }
    }

    private static final byte[] NO_CONTENT = new byte[0];

    /** A decoded version without its path; {@code content} is the hash then the chunk ids (files). */
    private record Leaf(EntryKind kind, long size, long mtime, int mode, byte[] content, String target,
                        VersionVector vv, ComputerId origin, long originTime) {
        FileVersion version(VaultPath path) {
            return new FileVersion(path, kind, size, mtime, mode, content, target, vv, origin, originTime);
        }
    }

    /** One parsed entry: its own version and its folder's tree, either possibly null. */
    private record Parsed(Leaf own, BlobId tree) {
    }

    /** Parses one tree blob (format CST1 or CST2) into name → entry. */
    private static Map<String, Parsed> parse(byte[] bytes, BlobId id, boolean isRoot) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            boolean v1 = java.util.Arrays.equals(magic, MAGIC_V1);
            if (!v1 && !java.util.Arrays.equals(magic, MAGIC)) {
                if (magic[0] == 'C' && magic[1] == 'S' && magic[2] == 'T' && magic[3] > '2' && magic[3] <= '9') {
                    throw new TreeFormatException("tree " + id + " has format " + printable(new String(magic, StandardCharsets.US_ASCII))
                            + ", written by a newer ciphersync; this one reads CST1 and CST2 (upgrade ciphersync)");
                }
                throw new TreeFormatException("tree " + id + " does not start with the tree magic");
            }
            int count = b.getInt();
            if (count < 0 || count > MAX_ENTRIES_PER_TREE || count > b.remaining() / 4) {
                throw new TreeFormatException("tree " + id + " claims " + Integer.toUnsignedString(count) + " entries");
            }
            Map<String, Parsed> out = new TreeMap<>();
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
                int flags = v1 ? (kind == EntryKind.DIR ? HAS_TREE : HAS_VERSION) : b.get() & 0xff;
                if (!allowed(kind, flags) || (isRoot && flags != HAS_TREE)) {
                    throw new TreeFormatException("tree " + id + " entry '" + printable(name) + "' of kind " + kind
                            + " cannot have flags " + flags + (isRoot ? " in the root tree" : ""));
                }
                BlobId sub = (flags & HAS_TREE) != 0 ? BlobId.of(bytes(b, BlobId.LENGTH)) : null;
                Leaf own = (flags & HAS_VERSION) != 0 ? readLeaf(b, kind, "tree " + id, name) : null;
                out.put(name, new Parsed(own, sub));
            }
            if (b.hasRemaining()) {
                throw new TreeFormatException("tree " + id + " has " + b.remaining() + " trailing bytes");
            }
            return out;
        } catch (BufferUnderflowException e) {
            throw new TreeFormatException("tree " + id + " is truncated", e);
        }
    }

    /** The (kind, flags) pairs a tree entry may have. */
    private static boolean allowed(EntryKind kind, int flags) {
        return switch (kind) {
            case FILE, SYMLINK -> flags == HAS_VERSION;
            case DIR -> flags == HAS_TREE || flags == (HAS_TREE | HAS_VERSION);
            case DELETED -> flags == HAS_VERSION || flags == (HAS_TREE | HAS_VERSION);
        };
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

    /** A folder being built: name → Node or FileVersion, sorted by name, and its own version (or null). */
    private static final class Node {
        final TreeMap<String, Object> children = new TreeMap<>();
        FileVersion own;

        Node dir(String name) {
            Object o = children.computeIfAbsent(name, k -> new Node());
            if (!(o instanceof Node n)) {
                throw new IllegalStateException("'" + name + "' is a file");
            }
            return n;
        }
    }
}
