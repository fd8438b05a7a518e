package org.ciphersync.relay.server.part;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every {@link DiskPartStoreTest} again with parts kept in memory (room for one and a half parts of the
 * largest size), plus what is particular to memory: parts beyond the room go to disk, and the room is
 * given back whatever way a part leaves.
 */
class MemoryPartStoreTest extends DiskPartStoreTest {

    @Override
    DiskPartStore newStore() throws IOException {
        return new DiskPartStore(dir, 1000, 2500, 1500);
    }

    @Test
    void partsWithinTheMemoryRoom_neverTouchTheDisk_andGiveTheRoomBackWhenFetched() throws Exception {
        store.put(S, "a", 1, Set.of(2), 1000, () -> new ByteArrayInputStream(new byte[1000]));
        assertThat(filesOnDisk()).isZero();
        assertThat(store.memoryBytesInUse()).isEqualTo(1000);
        store.put(S, "b", 1, Set.of(2), 1000, bytes(1000));
        assertThat(filesOnDisk()).as("beyond the room a part goes to disk").isEqualTo(1);
        assertThat(store.memoryBytesInUse()).isEqualTo(1000);
        assertThat(read("a", 2)).hasSize(1000);
        assertThat(read("b", 2)).hasSize(1000);
        store.fetched(S, "a", 2);
        store.fetched(S, "b", 2);
        assertThat(store.memoryBytesInUse()).isZero();
        assertThat(filesOnDisk()).isZero();
        assertThat(store.totalBytes()).isZero();
    }

    @Test
    void aFailedUpload_givesItsMemoryBack() {
        assertThatThrownBy(() -> store.put(S, "a", 1, Set.of(2), 500, bytes(499))).hasMessageContaining("after 499 of 500");
        assertThatThrownBy(() -> store.put(S, "b", 1, Set.of(2), 500, bytes(501))).hasMessageContaining("longer");
        assertThatThrownBy(() -> store.put(S, "c", 1, Set.of(2), 500, () -> {
            throw new IOException("client went away");
        })).hasMessageContaining("went away");
        assertThat(store.memoryBytesInUse()).isZero();
        assertThat(store.usedBytes(S)).isZero();
    }

    @Test
    void anEndedSessionOrALeavingRecipient_givesTheMemoryBack() throws Exception {
        store.put(S, "a", 1, Set.of(2), 700, bytes(700));
        store.put(S, "b", 1, Set.of(3), 700, bytes(700));
        store.forgetRecipient(S, 3);
        assertThat(store.memoryBytesInUse()).isEqualTo(700);
        store.deleteSession(S);
        assertThat(store.memoryBytesInUse()).isZero();
        assertThatThrownBy(() -> store.open(S, "a", 2)).isInstanceOf(PartException.class);
    }

    @Test
    void aNegativeRoom_isRefused() {
        assertThatThrownBy(() -> new DiskPartStore(dir, 1000, 2500, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
