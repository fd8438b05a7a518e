package org.ciphersync.vault.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.tree.BlobId;
import org.junit.jupiter.api.Test;

/** The compact index answers exactly as a hash map of its entries would, the first entry of an id winning. */
class BlobIndexTest {
    private static final ComputerId WRITER = ComputerId.of("a".repeat(32));

    private static BlobName pack(int i) {
        return ObjectNames.pack(String.format("%064x", i), WRITER);
    }

    private static BlobId id(Random rnd, int sharedPrefixBytes) {
        byte[] b = new byte[BlobId.LENGTH];
        rnd.nextBytes(b);
        for (int i = 0; i < sharedPrefixBytes; i++) {
            b[i] = 7;
        }
        return BlobId.of(b);
    }

    private static void assertSameAs(BlobIndex index, Map<BlobId, IndexEntry> expected, List<BlobId> absent) {
        assertThat(index.size()).isEqualTo(expected.size());
        expected.forEach((id, e) -> {
            assertThat(index.containsKey(id)).isTrue();
            assertThat(index.get(id)).isEqualTo(e);
        });
        absent.forEach(id -> {
            assertThat(index.containsKey(id)).isFalse();
            assertThat(index.get(id)).isNull();
        });
        assertThat(new HashMap<>(index)).isEqualTo(expected);
    }

    @Test
    void lookups_equalAHashMapOfTheEntries_andTheFirstEntryOfAnIdWins() {
        Random rnd = new Random(1);
        List<IndexEntry> entries = new ArrayList<>();
        Map<BlobId, IndexEntry> expected = new HashMap<>();
        List<BlobId> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            BlobId id = i > 0 && i % 10 == 0 ? ids.get(rnd.nextInt(ids.size())) : id(rnd, 0); // some named twice
            ids.add(id);
            IndexEntry e = new IndexEntry(id, i % 3 == 0 ? BlobKind.TREE : BlobKind.CHUNK, pack(i % 7), (long) i << 20 | 5,
                    1 + i, i * 3);
            entries.add(e);
            expected.putIfAbsent(id, e);
        }
        List<BlobId> absent = List.of(id(rnd, 0), id(rnd, 0), id(rnd, 2));
        BlobIndex index = BlobIndex.of(entries);
        assertSameAs(index, expected, absent);
        assertThat(index.packs()).containsExactlyInAnyOrderElementsOf(expected.values().stream().map(IndexEntry::pack).distinct().toList());
    }

    @Test
    void idsSharingTheirPrefix_areStillFound() {
        Random rnd = new Random(2);
        Map<BlobId, IndexEntry> expected = new HashMap<>();
        BlobIndex.Builder b = new BlobIndex.Builder();
        for (int i = 0; i < 500; i++) { // one bucket of 500 ids: sorted by the general sort
            BlobId id = id(rnd, 3);
            IndexEntry e = new IndexEntry(id, BlobKind.CHUNK, pack(1), i * 10L, 10, 9);
            b.add(e);
            expected.put(id, e);
        }
        assertSameAs(b.build(), expected, List.of(id(rnd, 3), id(rnd, 0)));
    }

    @Test
    void anEmptyIndex_findsNothing() {
        BlobIndex index = new BlobIndex.Builder().build();
        assertSameAs(index, Map.of(), List.of(id(new Random(3), 0)));
        assertThat(index.packs()).isEmpty();
    }
}
