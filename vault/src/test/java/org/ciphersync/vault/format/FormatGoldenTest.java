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
 * here is a format change and needs a new format version. The sealed layout of blobs is pinned
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

    @Test
    void treeEncoding_ofAFixedSet_isPinned() {
        List<FileVersion> versions = List.of(
                new FileVersion(VaultPath.parse("~/docs/a.txt"), EntryKind.FILE, 5, 1_000_000_000L, 0644, sha("hello".getBytes()),
                        List.of(id(1)), "", vv(A, 1), A, 1000),
                new FileVersion(VaultPath.parse("~/link"), EntryKind.SYMLINK, 0, 2L, -1, new byte[0], List.of(), "docs", vv(B, 2), B, 2000),
                FileVersion.deleted(VaultPath.parse("/etc/old"), 3L, vv(A, 2, B, 1), A, 3000));
        TreeCodec.Encoded enc = TreeCodec.encode(versions, b -> BlobId.of(sha(b)));
        byte[] homeDocs = enc.blobs().values().stream()
                .filter(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains("a.txt")).findFirst().orElseThrow();
        assertThat(HexFormat.of().formatHex(homeDocs)).isEqualTo(
                "4353543100000001" + "0005612e747874" + "01" + "0000000000000005" + "000000003b9aca00" + "000001a4"
                        + HexFormat.of().formatHex(sha("hello".getBytes())) + "00000001" + "01".repeat(32)
                        + "0001" + "aa".repeat(16) + "0000000000000001" + "aa".repeat(16) + "00000000000003e8");
        assertThat(enc.blobs()).hasSize(5); // ~/docs, ~, /etc, /, root
        assertThat(enc.root().hex()).isEqualTo(GOLDEN_TREE_ROOT);
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

    static final String GOLDEN_TREE_ROOT = "29913c7d93a7e95c4839341d475fcea9f1aa1e694ecc1811110885e7d5857dbf";
}
