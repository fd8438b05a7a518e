package org.ciphersync.session.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.wire.WireException;
import org.junit.jupiter.api.Test;

/** Inventories travel compressed and sealed; a hostile compressed body is refused before it costs memory. */
class InventorySealTest {
    static final SessionId S = new SessionId(77);
    final SecretBytes key = SecretBytes.random(new SecureRandom(), 32);

    static List<SharedNode> tree(int files) {
        List<InventoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            entries.add(new InventoryEntry(RelPath.of("d" + (i / 100) + "/sub/file-" + i + ".txt"), EntryType.FILE, 1000 + i, 1_700_000_000_000_000_000L + i,
                    0644, 0, null));
        }
        return List.of(new SharedNode(new NodeInventory("A1", true, entries, List.of()), "FP directory /home/me/docs", null));
    }

    @Test
    void anInventory_roundTrips_andTravelsCompressed() throws Exception {
        List<SharedNode> nodes = tree(20_000);
        byte[] sealed = InventorySeal.seal(S, key, 3, 42, 1, nodes);
        assertThat(sealed.length).as("paths that share their folders compress").isLessThan(InventoryCodec.encode(nodes).length / 3);
        List<SharedNode> back = InventorySeal.open(S, key, 3, 42, 1, sealed);
        assertThat(back.get(0).inventory().entries()).isEqualTo(nodes.get(0).inventory().entries());
    }

    @Test
    void anUncompressedBody_isAccepted() throws Exception {
        byte[] plain = InventoryCodec.encode(tree(3));
        byte[] body = new byte[1 + plain.length];
        System.arraycopy(plain, 0, body, 1, plain.length);
        assertThat(InventorySeal.open(S, key, 3, 42, 1, InventorySeal.sealBody(S, key, 3, 42, 1, body)).get(0).inventory().entries()).hasSize(3);
    }

    @Test
    void hostileBodies_areRefused() {
        byte[] plain = InventoryCodec.encode(tree(50));
        byte[] z = Zstd.compress(plain);
        assertThatThrownBy(() -> open(framed(1, plain.length + 1, z))).isInstanceOf(WireException.class).hasMessageContaining("decompress");
        assertThatThrownBy(() -> open(framed(1, plain.length - 1, z))).isInstanceOf(WireException.class).hasMessageContaining("decompress");
        assertThatThrownBy(() -> open(framed(1, InventorySeal.MAX_PLAIN + 1, z))).isInstanceOf(WireException.class).hasMessageContaining("more than");
        assertThatThrownBy(() -> open(framed(1, -1, z))).as("a length beyond 2 GiB").isInstanceOf(WireException.class).hasMessageContaining("more than");
        assertThatThrownBy(() -> open(framed(1, plain.length, new byte[] {1, 2, 3, 4}))).isInstanceOf(WireException.class);
        assertThatThrownBy(() -> open(framed(7, plain.length, z))).isInstanceOf(WireException.class).hasMessageContaining("unknown compression");
        assertThatThrownBy(() -> open(new byte[0])).isInstanceOf(WireException.class);
        assertThatThrownBy(() -> open(new byte[] {1, 0, 0})).isInstanceOf(WireException.class);
    }

    @Test
    void anInventorySealedForAnotherMemberOrRun_doesNotOpen() {
        byte[] sealed = InventorySeal.seal(S, key, 3, 42, 1, tree(5));
        assertThatThrownBy(() -> InventorySeal.open(S, key, 3, 42, 2, sealed)).isInstanceOf(WireException.class);
        assertThatThrownBy(() -> InventorySeal.open(S, key, 3, 43, 1, sealed)).isInstanceOf(WireException.class);
    }

    private List<SharedNode> open(byte[] body) throws WireException {
        return InventorySeal.open(S, key, 3, 42, 1, InventorySeal.sealBody(S, key, 3, 42, 1, body));
    }

    private static byte[] framed(int mode, int length, byte[] data) {
        byte[] b = new byte[5 + data.length];
        b[0] = (byte) mode;
        b[1] = (byte) (length >>> 24);
        b[2] = (byte) (length >>> 16);
        b[3] = (byte) (length >>> 8);
        b[4] = (byte) length;
        System.arraycopy(data, 0, b, 5, data.length);
        return b;
    }
}
