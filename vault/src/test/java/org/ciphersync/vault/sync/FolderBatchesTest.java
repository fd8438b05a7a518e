package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FolderBatchesTest {

    /** An item "folder/n": its folder is the part before the slash. */
    private static String folder(String item) {
        return item.substring(0, item.indexOf('/'));
    }

    private static List<String> items(List<@IntRange(min = 0, max = 6) Integer> folders) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < folders.size(); i++) {
            items.add("f" + folders.get(i) + "/" + i);
        }
        return items;
    }

    @Property
    void everyItemOnce_batchesOfOneFolder_inTheirOrder_andFoldersDealtRoundRobin(
            @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 6) Integer> folders, @ForAll @IntRange(min = 1, max = 40) int size) {
        List<String> items = items(folders);
        List<List<String>> batches = FolderBatches.of(items, FolderBatchesTest::folder, size);

        List<String> flat = new ArrayList<>();
        batches.forEach(flat::addAll);
        assertThat(flat).containsExactlyInAnyOrderElementsOf(items);
        for (List<String> b : batches) {
            assertThat(b).isNotEmpty().hasSizeLessThanOrEqualTo(size);
            assertThat(b.stream().map(FolderBatchesTest::folder).distinct()).hasSize(1);
        }
        for (String f : new HashSet<>(folders.stream().map(n -> "f" + n).toList())) {
            assertThat(flat.stream().filter(x -> folder(x).equals(f)).toList())
                    .as("a folder's items keep their order").isEqualTo(items.stream().filter(x -> folder(x).equals(f)).toList());
        }
        // round-robin: the first batches, one per folder, are all from different folders
        int distinct = new HashSet<>(items.stream().map(FolderBatchesTest::folder).toList()).size();
        Set<String> firstRound = new HashSet<>();
        for (int i = 0; i < distinct; i++) {
            firstRound.add(folder(batches.get(i).get(0)));
        }
        assertThat(firstRound).hasSize(distinct);
    }

    @Test
    void aBigFolderIsSpreadAcrossTheOthers() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add("big/" + i);
        }
        items.add("a/0");
        items.add("b/0");
        assertThat(FolderBatches.of(items, FolderBatchesTest::folder, 2))
                .containsExactly(List.of("big/0", "big/1"), List.of("a/0"), List.of("b/0"), List.of("big/2", "big/3"), List.of("big/4", "big/5"));
    }

    @Test
    void refusesAnEmptyBatchSize() {
        assertThatThrownBy(() -> FolderBatches.of(List.of("a/1"), FolderBatchesTest::folder, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
