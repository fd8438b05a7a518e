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
        TreeCodec.Encoded enc = TreeCodec.encode(List.of(file("~/a", "x", 1, vv(A, 1), A)), ID);
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
