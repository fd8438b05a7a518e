package org.ciphersync.vault.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.vault.chain.Versions.A;
import static org.ciphersync.vault.chain.Versions.B;
import static org.ciphersync.vault.chain.Versions.deleted;
import static org.ciphersync.vault.chain.Versions.file;
import static org.ciphersync.vault.chain.Versions.vv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TreeCodecTest {
    private static final Function<byte[], BlobId> ID = b -> {
        try {
            return BlobId.of(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    };

    private static List<FileVersion> sample() {
        return List.of(
                file("~/docs/a.txt", "alpha", 10, vv(A, 1), A),
                file("~/docs/sub/b.txt", "beta", 20, vv(A, 1, B, 2), B),
                deleted("~/old.txt", 30, vv(A, 3), A),
                new FileVersion(VaultPath.parse("~/link"), EntryKind.SYMLINK, 0, 40, 0777, new byte[0], List.of(),
                        "docs/a.txt", vv(B, 1), B, 4),
                file("/etc/hosts", "127.0.0.1", 50, vv(A, 1), A));
    }

    @Test
    void encodeThenDecode_returnsTheSameVersionsSortedByPath() {
        TreeCodec.Encoded enc = TreeCodec.encode(sample(), ID);
        List<FileVersion> back = TreeCodec.decode(enc.root(), enc.blobs()::get);
        List<FileVersion> expected = new ArrayList<>(sample());
        expected.sort((a, b) -> a.path().compareTo(b.path()));
        assertThat(back).isEqualTo(expected);
    }

    @Test
    void encode_unchangedFolder_keepsItsIdAcrossSnapshots() {
        TreeCodec.Encoded first = TreeCodec.encode(sample(), ID);
        List<FileVersion> changed = new ArrayList<>(sample());
        changed.set(4, file("/etc/hosts", "changed", 60, vv(A, 2), A));
        TreeCodec.Encoded second = TreeCodec.encode(changed, ID);
        assertThat(second.root()).isNotEqualTo(first.root());
        // the ~ folder and everything below it is unchanged: its blobs are shared
        long shared = second.blobs().keySet().stream().filter(first.blobs()::containsKey).count();
        assertThat(shared).isEqualTo(3); // ~, ~/docs, ~/docs/sub
    }

    @Test
    void encode_isDeterministicWhateverTheInputOrder() {
        List<FileVersion> reversed = new ArrayList<>(sample());
        java.util.Collections.reverse(reversed);
        assertThat(TreeCodec.encode(reversed, ID).root()).isEqualTo(TreeCodec.encode(sample(), ID).root());
    }

    @Test
    void decode_everyTruncation_isRejectedAsMalformed() {
        assertEveryTruncationIsRejected(TreeCodec.encode(List.of(file("~/a", "x", 1, vv(A, 1), A)), ID));
    }

    private static void assertEveryTruncationIsRejected(TreeCodec.Encoded enc) {
        for (Map.Entry<BlobId, byte[]> e : enc.blobs().entrySet()) {
            byte[] full = e.getValue();
            for (int len = 0; len < full.length; len++) {
                Map<BlobId, byte[]> m = new HashMap<>(enc.blobs());
                m.put(e.getKey(), java.util.Arrays.copyOf(full, len));
                assertThatThrownBy(() -> TreeCodec.decode(enc.root(), m::get))
                        .as("truncated to %d of %d", len, full.length)
                        .isInstanceOf(TreeFormatException.class);
            }
        }
    }

    @Test
    void decode_nameWithDotDot_isRejected() {
        byte[] evil = leafTree("..");
        BlobId leafId = ID.apply(evil);
        byte[] home = dirTree("~", leafId);
        BlobId rootId = ID.apply(home);
        Map<BlobId, byte[]> m = Map.of(leafId, evil, rootId, home);
        assertThatThrownBy(() -> TreeCodec.decode(rootId, m::get)).isInstanceOf(TreeFormatException.class)
                .hasMessageContaining("invalid name '..'");
    }

    @Test
    void decode_hugeEntryCount_isRejectedBeforeAllocating() {
        byte[] b = ByteBuffer.allocate(8).put("CST1".getBytes(StandardCharsets.US_ASCII)).putInt(Integer.MAX_VALUE).array();
        BlobId id = ID.apply(b);
        assertThatThrownBy(() -> TreeCodec.decode(id, x -> b)).isInstanceOf(TreeFormatException.class)
                .hasMessageContaining("claims 2147483647 entries");
    }

    @Test
    void decode_rootWithOtherNameThanHomeOrSlash_isRejected() {
        byte[] leaf = leafTree("a");
        BlobId leafId = ID.apply(leaf);
        byte[] root = dirTree("x", leafId);
        BlobId rootId = ID.apply(root);
        Map<BlobId, byte[]> m = Map.of(leafId, leaf, rootId, root);
        assertThatThrownBy(() -> TreeCodec.decode(rootId, m::get)).isInstanceOf(TreeFormatException.class);
    }

    @Property(tries = 100)
    void decode_randomBytes_neverThrowsAnythingButTreeFormatException(@ForAll @Size(max = 200) byte[] junk) {
        byte[] withMagic = ByteBuffer.allocate(4 + junk.length).put("CST1".getBytes(StandardCharsets.US_ASCII)).put(junk).array();
        for (byte[] b : List.of(junk, withMagic)) {
            try {
                TreeCodec.decode(ID.apply(b), x -> b);
            } catch (TreeFormatException expected) {
                // fine
            }
        }
    }

    // ---- folders (format CST2) ----

    private static FileVersion folder(String path, long mtime, int mode) {
        return FileVersion.folder(VaultPath.parse(path), mtime, mode, vv(A, 1), A, 7);
    }

    @Test
    void encodeThenDecode_nestedEmptyFoldersWithTimesAndModes_comeBackEqual() {
        List<FileVersion> in = List.of(
                folder("~/a", 1_000, 0755),
                folder("~/a/b", 2_000, 0700),
                folder("~/a/b/c", 3_000, 0500), // empty, read-only
                folder("~/a/empty", 4_000, -1), // empty, mode unknown
                file("~/a/b/f.txt", "f", 5, vv(A, 1), A),
                folder("/srv/x", 6_000, 0777));
        TreeCodec.Encoded enc = TreeCodec.encode(in, ID);
        List<FileVersion> expected = new ArrayList<>(in);
        expected.sort((x, y) -> x.path().compareTo(y.path()));
        assertThat(TreeCodec.decode(enc.root(), enc.blobs()::get)).isEqualTo(expected);
    }

    @Test
    void encode_aFolderWhoseTimeChanged_changesOnlyItsParentsTrees() {
        List<FileVersion> before = List.of(folder("~/a", 1, 0755), folder("~/a/b", 2, 0755), file("~/a/b/f", "f", 5, vv(A, 1), A));
        List<FileVersion> after = List.of(folder("~/a", 1, 0755), folder("~/a/b", 3, 0755), file("~/a/b/f", "f", 5, vv(A, 1), A));
        TreeCodec.Encoded x = TreeCodec.encode(before, ID);
        TreeCodec.Encoded y = TreeCodec.encode(after, ID);
        assertThat(y.root()).isNotEqualTo(x.root());
        // b's own tree (what it holds) is the same blob; its version lives in a's tree
        assertThat(y.blobs().keySet().stream().filter(x.blobs()::containsKey).count()).isEqualTo(1);
    }

    @Test
    void encodeThenDecode_removedFolderWithTombstonesBelow_keepsEveryTombstone() {
        List<FileVersion> in = List.of(
                deleted("~/gone", 9, vv(A, 2), A),
                deleted("~/gone/sub", 9, vv(A, 2), A),
                deleted("~/gone/sub/f.txt", 9, vv(A, 2), A));
        TreeCodec.Encoded enc = TreeCodec.encode(in, ID);
        assertThat(TreeCodec.decode(enc.root(), enc.blobs()::get)).isEqualTo(in);
    }

    @Test
    void encode_liveVersionBelowATombstonedFolder_dropsTheFoldersTombstone() {
        FileVersion live = file("~/d/f.txt", "f", 5, vv(B, 1), B);
        TreeCodec.Encoded enc = TreeCodec.encode(List.of(deleted("~/d", 9, vv(A, 2), A), live), ID);
        assertThat(TreeCodec.decode(enc.root(), enc.blobs()::get)).containsExactly(live);
    }

    @Test
    void encode_aFileAndAFolderAtOnePath_isRefused() {
        assertThatThrownBy(() -> TreeCodec.encode(List.of(folder("~/x", 1, 0755), file("~/x", "x", 1, vv(A, 1), A)), ID))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
    }

    /** Random trees of folders (many empty), files and removed folders survive encode → decode unchanged. */
    @Property(tries = 200)
    void encodeThenDecode_randomTreesWithFolders_roundTrip(@ForAll long seed) {
        List<FileVersion> in = randomTree(new java.util.Random(seed), new String[] {"a", "b", "c d", "é", "x.y"});
        TreeCodec.Encoded enc = TreeCodec.encode(in, ID);
        assertThat(TreeCodec.decode(enc.root(), enc.blobs()::get)).isEqualTo(in);
    }

    /**
     * Folders are written as soon as the encoder has left them, which needs the input in path
     * order; names that are prefixes of each other ("a", "a b", "a.b", "a-b", "ab": ' ', '-' and
     * '.' sort before '/') put a folder's neighbours between it and its contents in string order.
     */
    @Property(tries = 200)
    void encode_namesThatArePrefixesOfEachOther_inAnyInputOrder_roundTripWithOneRoot(@ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<FileVersion> in = randomTree(r, new String[] {"a", "a b", "a-b", "a.b", "ab", "b"});
        BlobId sortedRoot = TreeCodec.encode(in, ID).root();
        List<FileVersion> shuffled = new ArrayList<>(in);
        java.util.Collections.shuffle(shuffled, r);
        TreeCodec.Encoded enc = TreeCodec.encode(shuffled, ID);
        assertThat(enc.root()).isEqualTo(sortedRoot);
        assertThat(TreeCodec.decode(enc.root(), enc.blobs()::get)).isEqualTo(in);
    }

    /** Random folders (some removed, with tombstones below) holding a few files each, sorted by path. */
    private static List<FileVersion> randomTree(java.util.Random r, String[] names) {
        java.util.TreeSet<VaultPath> folders = new java.util.TreeSet<>();
        for (int i = 0, n = 1 + r.nextInt(12); i < n; i++) {
            VaultPath p = r.nextBoolean() ? VaultPath.HOME : VaultPath.ABSOLUTE_ROOT;
            for (int d = 0, depth = 1 + r.nextInt(5); d < depth; d++) {
                p = p.resolve(names[r.nextInt(names.length)]);
                folders.add(p);
            }
        }
        List<FileVersion> in = new ArrayList<>();
        java.util.Set<VaultPath> removed = new java.util.HashSet<>();
        for (VaultPath f : folders) {
            boolean gone = removed.contains(f.parent()) || r.nextInt(8) == 0;
            if (gone) {
                removed.add(f);
                in.add(FileVersion.deleted(f, r.nextLong(), vv(A, 1 + r.nextInt(5)), A, r.nextLong()));
            } else {
                in.add(FileVersion.folder(f, r.nextLong(), r.nextInt(8) == 0 ? -1 : r.nextInt(01000), vv(B, 1 + r.nextInt(5)), B,
                        r.nextLong()));
            }
            for (int k = 0, files = r.nextInt(3); k < files; k++) {
                VaultPath p = f.resolve("file" + k);
                in.add(gone ? FileVersion.deleted(p, 1, vv(A, 3), A, 3)
                        : file(p.toString(), "content " + r.nextInt(), r.nextInt(1000), vv(B, 1), B));
            }
        }
        in.sort((x, y) -> x.path().compareTo(y.path()));
        return in;
    }

    @Test
    void decode_everyTruncationOfTreesWithFolders_isRejectedAsMalformed() {
        assertEveryTruncationIsRejected(TreeCodec.encode(List.of(folder("~/a", 1, 0755), folder("~/a/empty", 2, 0700),
                deleted("~/gone", 3, vv(A, 2), A), deleted("~/gone/f", 3, vv(A, 2), A)), ID));
    }

    @Test
    void decode_folderEntryWithAnInvalidName_isRejected() {
        for (String bad : List.of("..", ".", "a/b", "/", "a\u0000b", "", "a\\b", "new\nline")) {
            byte[] home = tree2(entry(bad, EntryKind.DIR, 3, emptyTreeId(), folderFields(0)));
            assertThatThrownBy(() -> decodeHome(home)).as("name %s", bad).isInstanceOf(TreeFormatException.class)
                    .hasMessageContaining("invalid name");
        }
    }

    @Test
    void decode_impossibleKindAndFlags_areRejected() {
        record Case(EntryKind kind, int flags) {
        }
        for (Case c : List.of(new Case(EntryKind.DIR, 0), new Case(EntryKind.DIR, 1), new Case(EntryKind.FILE, 3),
                new Case(EntryKind.FILE, 2), new Case(EntryKind.SYMLINK, 3), new Case(EntryKind.DELETED, 2),
                new Case(EntryKind.DELETED, 0), new Case(EntryKind.DIR, 7), new Case(EntryKind.DIR, 0x83))) {
            boolean tree = (c.flags() & 2) != 0;
            boolean version = (c.flags() & 1) != 0;
            byte[] home = tree2(entry("x", c.kind(), c.flags(), tree ? emptyTreeId() : null, version ? folderFields(0) : new byte[0]));
            assertThatThrownBy(() -> decodeHome(home)).as("%s", c).isInstanceOf(TreeFormatException.class)
                    .hasMessageContaining("cannot have flags " + c.flags());
        }
    }

    @Test
    void decode_rootEntryWithAVersion_isRejected() {
        byte[] root = tree2(entry("~", EntryKind.DIR, 3, emptyTreeId(), folderFields(0)));
        BlobId rootId = ID.apply(root);
        Map<BlobId, byte[]> m = Map.of(rootId, root, emptyTreeId(), EMPTY_TREE);
        assertThatThrownBy(() -> TreeCodec.decode(rootId, m::get)).isInstanceOf(TreeFormatException.class)
                .hasMessageContaining("in the root tree");
    }

    @Test
    void decode_folderVersionWithContent_isRejected() {
        byte[] home = tree2(entry("x", EntryKind.DIR, 3, emptyTreeId(), folderFields(5)));
        assertThatThrownBy(() -> decodeHome(home)).isInstanceOf(TreeFormatException.class).hasMessageContaining("cannot have content");
    }

    @Test
    void decode_folderWithTrailingBytes_isRejected() {
        byte[] ok = tree2(entry("x", EntryKind.DIR, 3, emptyTreeId(), folderFields(0)));
        byte[] home = java.util.Arrays.copyOf(ok, ok.length + 1);
        assertThatThrownBy(() -> decodeHome(home)).isInstanceOf(TreeFormatException.class).hasMessageContaining("trailing");
    }

    @Test
    void decode_treeOfANewerFormat_asksForAnUpgrade() {
        byte[] b = ByteBuffer.allocate(8).put("CST3".getBytes(StandardCharsets.US_ASCII)).putInt(0).array();
        assertThatThrownBy(() -> TreeCodec.decode(ID.apply(b), x -> b)).isInstanceOf(TreeFormatException.class)
                .hasMessageContaining("newer ciphersync");
    }

    @Property(tries = 100)
    void decode_randomBytesAfterTheCst2Magic_neverThrowsAnythingButTreeFormatException(@ForAll @Size(max = 200) byte[] junk) {
        byte[] withMagic = ByteBuffer.allocate(4 + junk.length).put("CST2".getBytes(StandardCharsets.US_ASCII)).put(junk).array();
        try {
            TreeCodec.decode(ID.apply(withMagic), x -> withMagic);
        } catch (TreeFormatException expected) {
            // fine
        }
    }

    private static final byte[] EMPTY_TREE = ByteBuffer.allocate(8).put("CST2".getBytes(StandardCharsets.US_ASCII)).putInt(0).array();

    private static BlobId emptyTreeId() {
        return ID.apply(EMPTY_TREE);
    }

    /** Decodes a home folder tree {@code home} below a valid root. */
    private static List<FileVersion> decodeHome(byte[] home) {
        BlobId homeId = ID.apply(home);
        byte[] root = tree2(entry("~", EntryKind.DIR, 2, homeId, new byte[0]));
        BlobId rootId = ID.apply(root);
        Map<BlobId, byte[]> m = Map.of(rootId, root, homeId, home, emptyTreeId(), EMPTY_TREE);
        return TreeCodec.decode(rootId, m::get);
    }

    /** A CST2 tree blob of already encoded entries. */
    private static byte[] tree2(byte[]... entries) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes("CST2".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(ByteBuffer.allocate(4).putInt(entries.length).array());
        for (byte[] e : entries) {
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    /** One CST2 entry, byte by byte (no validation: hostile input for the decoder). */
    private static byte[] entry(String name, EntryKind kind, int flags, BlobId sub, byte[] fields) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + n.length + 2 + (sub == null ? 0 : 32) + fields.length);
        b.putShort((short) n.length).put(n).put((byte) kind.code()).put((byte) flags);
        if (sub != null) {
            b.put(sub.bytes());
        }
        return b.put(fields).array();
    }

    /** A folder version's fields with {@code size}, an empty vector, origin A. */
    private static byte[] folderFields(long size) {
        return ByteBuffer.allocate(8 + 8 + 4 + 2 + 16 + 8).putLong(size).putLong(1).putInt(0755).putShort((short) 0)
                .put(A.bytes()).putLong(1).array();
    }

    private static byte[] leafTree(String name) {
        TreeCodec.Encoded enc = TreeCodec.encode(List.of(file("~/" + "placeholder", "x", 1, vv(A, 1), A)), ID);
        // take the home folder's tree (one entry "placeholder") and rename the entry
        for (byte[] b : enc.blobs().values()) {
            String s = new String(b, StandardCharsets.ISO_8859_1);
            if (s.contains("placeholder")) {
                ByteBuffer out = ByteBuffer.allocate(b.length - "placeholder".length() + name.length());
                out.put(b, 0, 8).putShort((short) name.length()).put(name.getBytes(StandardCharsets.UTF_8))
                        .put(b, 10 + "placeholder".length(), b.length - 10 - "placeholder".length());
                return out.array();
            }
        }
        throw new IllegalStateException();
    }

    private static byte[] dirTree(String name, BlobId child) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 2 + n.length + 1 + 32).put("CST1".getBytes(StandardCharsets.US_ASCII)).putInt(1)
                .putShort((short) n.length).put(n).put((byte) EntryKind.DIR.code()).put(child.bytes()).array();
    }
}
