package org.ciphersync.session.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.inventory.Fingerprint;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.state.ItemState;
import org.ciphersync.core.state.NodeState;
import org.ciphersync.session.wire.WireException;
import org.ciphersync.session.wire.WireWriter;
import org.junit.jupiter.api.Test;

class InventoryCodecTest {

    private static SharedNode sample() {
        Fingerprint fp = new Fingerprint(new byte[32], new int[] {3, 2}, new byte[64]);
        NodeInventory n = new NodeInventory("A1", true, List.of(
                new InventoryEntry(RelPath.of("docs"), EntryType.DIRECTORY, 0, 1, 0755, 11, null),
                new InventoryEntry(RelPath.of("docs/a.txt"), EntryType.FILE, 5, 2, 0644, 12, fp)), List.of());
        NodeState base = new NodeState("0123456789abcdef", Map.of(RelPath.of("docs/a.txt"), new ItemState(EntryType.FILE, 5, 2, "ab".repeat(32)),
                RelPath.of("docs"), new ItemState(EntryType.DIRECTORY, 0, 1, null)));
        return new SharedNode(n, "FP-TEXT directory /home/me/docs", base);
    }

    @Test
    void encodeThenDecode_keepsEverythingButTheLocalFileKey() throws Exception {
        SharedNode shared = InventoryCodec.decode(InventoryCodec.encode(List.of(sample()))).get(0);
        NodeInventory back = shared.inventory();
        assertThat(back.nodeId()).isEqualTo("A1");
        assertThat(back.entries()).hasSize(2);
        assertThat(back.entries().get(1).fingerprint().chunkLengths()).containsExactly(3, 2);
        assertThat(back.entries().get(1).fileKey()).isZero();
        assertThat(back.entries().get(1).posixMode()).isEqualTo(0644);
        assertThat(shared.description()).isEqualTo(sample().description());
        assertThat(shared.base()).isEqualTo(sample().base());
    }

    /** Version 2 header and one node with one file entry whose path is given raw (what a hostile member would send). */
    private static WireWriter withPathRaw(String path) {
        return new WireWriter().u8(InventoryCodec.VERSION).u8(1).text("B1").u8(1).u32(1)
                .text(path).u8(0).u64(0).u64(0).u32(0).u8(0).u32(0).text("d");
    }

    private static byte[] withPath(String path) {
        return withPathRaw(path).u8(0).toByteArray();
    }

    /** A valid node whose stored two-way state lists {@code path}. */
    private static byte[] withBasePath(String path) {
        return withPathRaw("ok.txt").u8(1).text("0123456789abcdef").u32(1).text(path).u8(0).u64(1).u64(1).u8(0).toByteArray();
    }

    @Test
    void decode_refusesPathsThatEscapeOrAreAbsolute_inTheInventoryAndInTheStoredState() throws Exception {
        for (String hostile : List.of("../x", "a/../../x", "/etc/passwd", "a//b", "", "./a", "a\\..\\b")) {
            assertThatThrownBy(() -> InventoryCodec.decode(withPath(hostile))).as(hostile)
                    .isInstanceOf(WireException.class);
            assertThatThrownBy(() -> InventoryCodec.decode(withBasePath(hostile))).as("base " + hostile)
                    .isInstanceOf(WireException.class);
        }
        assertThat(InventoryCodec.decode(withBasePath("fine/x.txt")).get(0).base().items()).containsKey(RelPath.of("fine/x.txt"));
    }

    @Test
    void decode_refusesAStoredStateThatListsAPathTwiceOrNamesABadNodeSet() {
        byte[] twice = withPathRaw("ok.txt").u8(1).text("0123456789abcdef").u32(2)
                .text("a").u8(0).u64(1).u64(1).u8(0).text("a").u8(0).u64(1).u64(1).u8(0).toByteArray();
        assertThatThrownBy(() -> InventoryCodec.decode(twice)).isInstanceOf(WireException.class).hasMessageContaining("twice");
        byte[] badSet = withPathRaw("ok.txt").u8(1).text("../../etc").u32(0).toByteArray();
        assertThatThrownBy(() -> InventoryCodec.decode(badSet)).isInstanceOf(WireException.class).hasMessageContaining("node set");
    }

    @Test
    void decode_refusesChunksThatDoNotAddUpToTheSize() {
        byte[] bad = new WireWriter().u8(InventoryCodec.VERSION).u8(1).text("B1").u8(1).u32(1)
                .text("f").u8(0).u64(10).u64(0).u32(0).u8(1).raw(new byte[32]).u32(1).u32(3).raw(new byte[32]).u32(0).text("d").u8(0)
                .toByteArray();
        assertThatThrownBy(() -> InventoryCodec.decode(bad)).isInstanceOf(WireException.class).hasMessageContaining("add up");
    }

    @Test
    void decode_refusesAnEntryCountLargerThanTheBytesCanHold() {
        byte[] bad = new WireWriter().u8(InventoryCodec.VERSION).u8(1).text("B1").u8(1).u32(1_500_000).toByteArray();
        assertThatThrownBy(() -> InventoryCodec.decode(bad)).isInstanceOf(WireException.class).hasMessageContaining("impossible");
    }

    @Provide
    Arbitrary<byte[]> hostile() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
    }

    @Property(tries = 300)
    void decode_ofRandomOrMutatedBytes_failsOnlyWithWireException(@ForAll("hostile") byte[] noise, @ForAll boolean mutate) {
        byte[] data = noise;
        if (mutate && noise.length > 0) {
            data = InventoryCodec.encode(List.of(sample()));
            data[Math.abs(noise[0]) % data.length] ^= (byte) (noise.length | 1);
        }
        try {
            InventoryCodec.decode(data);
        } catch (WireException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
