package org.ciphersync.vault.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.vault.chain.Versions.A;
import static org.ciphersync.vault.chain.Versions.B;
import static org.ciphersync.vault.chain.Versions.vv;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.tree.BlobId;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.TreeCodec;
import org.ciphersync.vault.tree.VaultPath;
import org.junit.jupiter.api.Test;

/**
 * Pins the byte layouts of tree blobs and index objects (docs/design.md (Vault) §2.2, §4.2): a change
 * here is a format change and needs a new format version (trees: CST2 since folders have versions;
 * CST1 is still read). The sealed layout of blobs is pinned
 * by {@link BlobCodecTest} (format 2: 64 KiB stream segments instead of one envelope per blob).
 */
class FormatGoldenTest {
    private static byte[] sha(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static BlobId id(int fill) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) fill);
        return BlobId.of(b);
    }

    private static final String HELLO_FIELDS = "0000000000000005" + "000000003b9aca00" + "000001a4"
            + HexFormat.of().formatHex(sha("hello".getBytes())) + "00000001" + "01".repeat(32)
            + "0001" + "aa".repeat(16) + "0000000000000001" + "aa".repeat(16) + "00000000000003e8";

    private static FileVersion hello() {
        return new FileVersion(VaultPath.parse("~/docs/a.txt"), EntryKind.FILE, 5, 1_000_000_000L, 0644, sha("hello".getBytes()),
                List.of(id(1)), "", vv(A, 1), A, 1000);
    }

    private static String hexOf(TreeCodec.Encoded enc, String containing) {
        return enc.blobs().values().stream().filter(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains(containing))
                .map(HexFormat.of()::formatHex).findFirst().orElseThrow();
    }

    @Test
    void treeEncoding_ofAFixedSet_isPinned() {
        List<FileVersion> versions = List.of(
                hello(),
                FileVersion.folder(VaultPath.parse("~/docs"), 7_000_000_000L, 0750, vv(A, 1), A, 1000),
                FileVersion.folder(VaultPath.parse("~/empty"), 8L, 0700, vv(B, 1), B, 2000),
                new FileVersion(VaultPath.parse("~/link"), EntryKind.SYMLINK, 0, 2L, -1, new byte[0], List.of(), "docs", vv(B, 2), B, 2000),
                FileVersion.deleted(VaultPath.parse("/etc/gone"), 4L, vv(A, 2), A, 4000),
                FileVersion.deleted(VaultPath.parse("/etc/gone/x"), 4L, vv(A, 2), A, 4000),
                FileVersion.deleted(VaultPath.parse("/etc/old"), 3L, vv(A, 2, B, 1), A, 3000));
        TreeCodec.Encoded enc = TreeCodec.encode(versions, b -> BlobId.of(sha(b)));
        // ~/docs: one file (kind 1, flags 1 = has a version)
        assertThat(hexOf(enc, "a.txt")).isEqualTo("4353543200000001" + "0005612e747874" + "01" + "01" + HELLO_FIELDS);
        // ~: docs (kind 2, flags 3 = tree + version), empty (an empty folder: the empty tree), link
        String emptyTree = "4353543200000000";
        String docsTree = hexOf(enc, "a.txt");
        assertThat(hexOf(enc, "empty")).isEqualTo("4353543200000003"
                + "0004646f6373" + "02" + "03" + HexFormat.of().formatHex(sha(HexFormat.of().parseHex(docsTree)))
                + "0000000000000000" + "00000001a13b8600" + "000001e8" + "0001" + "aa".repeat(16) + "0000000000000001"
                + "aa".repeat(16) + "00000000000003e8"
                + "0005656d707479" + "02" + "03" + HexFormat.of().formatHex(sha(HexFormat.of().parseHex(emptyTree)))
                + "0000000000000000" + "0000000000000008" + "000001c0" + "0001" + "bb".repeat(16) + "0000000000000001"
                + "bb".repeat(16) + "00000000000007d0"
                + "00046c696e6b" + "03" + "01" + "0000000000000000" + "0000000000000002" + "ffffffff" + "0004646f6373"
                + "0001" + "bb".repeat(16) + "0000000000000002" + "bb".repeat(16) + "00000000000007d0");
        // /etc: gone is a removed folder (kind 4, flags 3) whose tree holds the tombstone of x
        assertThat(hexOf(enc, "gone")).startsWith("4353543200000002" + "0004676f6e65" + "04" + "03");
        // the root: ~ and / are folders without versions (kind 2, flags 2)
        assertThat(enc.blobs()).hasSize(7); // ~/docs, ~/empty, ~, /etc/gone, /etc, /, root
        assertThat(enc.root().hex()).isEqualTo(GOLDEN_TREE_ROOT);
    }

    /** Trees written before folders had versions (CST1: no flags byte, a folder is its tree id only) are still read. */
    @Test
    void treeOfFormatCst1_isStillRead() {
        byte[] docs = HexFormat.of().parseHex("4353543100000001" + "0005612e747874" + "01" + HELLO_FIELDS);
        BlobId docsId = BlobId.of(sha(docs));
        byte[] home = HexFormat.of().parseHex("4353543100000001" + "0004646f6373" + "02" + docsId.hex());
        BlobId homeId = BlobId.of(sha(home));
        byte[] root = HexFormat.of().parseHex("4353543100000001" + "00017e" + "02" + homeId.hex());
        BlobId rootId = BlobId.of(sha(root));
        java.util.Map<BlobId, byte[]> blobs = java.util.Map.of(docsId, docs, homeId, home, rootId, root);
        assertThat(TreeCodec.decode(rootId, blobs::get)).containsExactly(hello());
    }

    @Test
    void indexEncoding_ofAFixedList_isPinned() {
        BlobName pack = ObjectNames.pack("ab".repeat(32), A);
        byte[] enc = IndexCodec.encode(List.of(new IndexEntry(id(7), BlobKind.CHUNK, pack, 0, 100, 90),
                new IndexEntry(id(8), BlobKind.TREE, pack, 100, 60, 200)));
        assertThat(HexFormat.of().formatHex(enc)).isEqualTo("4353493100000001" + "60" + HexFormat.of().formatHex(pack.name().getBytes())
                + "00000002" + "07".repeat(32) + "01" + "00000000" + "00000064" + "0000005a"
                + "08".repeat(32) + "02" + "00000064" + "0000003c" + "000000c8");
        assertThat(IndexCodec.decode(enc, "golden")).hasSize(2);
    }

    /** Format 2 changed how blobs are sealed (64 KiB stream segments, BlobCodecTest pins it); format 1 vaults are refused. */
    @Test
    void configOfFormatOne_isRefused_namingBothVersions() {
        byte[] v1 = ("{\"format\":1,\"vault\":\"" + "ab".repeat(16) + "\",\"created\":1,\"chunkMin\":262144,"
                + "\"chunkAvg\":1048576,\"chunkMax\":4194304,\"packSize\":16777216,\"zstd\":3,\"sealed\":\"\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VaultConfig.decode(v1))
                .isInstanceOf(org.ciphersync.vault.VaultException.class)
                .hasMessageContaining("format version 1").hasMessageContaining("reads only version 2");
        assertThat(VaultConfig.FORMAT).isEqualTo(2);
    }

    static final String GOLDEN_TREE_ROOT = "23a74c24600363a238285384553127d4a7090609d143df5badbc7187a0c24d71";
}
