package org.ciphersync.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.core.fs.MemoryFileTree.dir;
import static org.ciphersync.core.fs.MemoryFileTree.file;
import static org.ciphersync.core.fs.MemoryFileTree.symlink;

import java.util.List;
import org.ciphersync.core.apply.ItemResult;
import org.ciphersync.core.fs.MemoryFileTree;
import org.ciphersync.core.inventory.DataSource;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.inventory.Skipped;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.settings.SyncSettings;
import org.junit.jupiter.api.Test;

/** Trees that try to make the engine clobber, loop, escape or lose data. */
class HostileTreesTest {
    static final LocalSyncOptions MIRROR = LocalSyncOptions.defaults(SyncMode.MIRROR).withForce(true);

    @Test
    void namesDifferingOnlyByCase_onACaseInsensitiveTarget_areReportedAndNeverClobberEachOther() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(file("readme.txt", "lower"), file("README.txt", "UPPER"),
                file("other", "o"));
        MemoryFileTree b = MemoryFileTree.builder().name("b").caseInsensitive().build(file("Readme.TXT", "target's own"));
        LocalSyncReport r = Trees.sync(MIRROR, a, b);
        assertThat(r.skipped().get("A")).extracting(Skipped::reason).containsOnly(Skipped.Reason.NAME_COLLISION);
        assertThat(b.readString("readme.txt")).isEqualTo("target's own");
        assertThat(b.readString("other")).isEqualTo("o");
    }

    @Test
    void namesDifferingOnlyByNormalization_onACaseInsensitiveTarget_areOneItem() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(file("caf\u00e9", "new").mtime(1_800_000_000_000_000_000L));
        MemoryFileTree b = MemoryFileTree.builder().name("b").caseInsensitive().build(file("cafe\u0301", "old"));
        LocalSyncReport r = Trees.sync(MIRROR, a, b);
        assertThat(r.problems()).isEmpty();
        assertThat(b.list(RelPath.ROOT)).filteredOn(e -> !e.name().startsWith(".")).singleElement()
                .satisfies(e -> assertThat(e.name()).isEqualTo("cafe\u0301"));
        assertThat(b.readString("cafe\u0301")).isEqualTo("new");
    }

    @Test
    void symlinkLoops_areNeverFollowedNorCopied() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(symlink("self", "."),
                dir("d", symlink("up", ".."), file("f", "1")));
        MemoryFileTree b = MemoryFileTree.builder().name("b").build();
        LocalSyncReport r = Trees.sync(MIRROR, a, b);
        assertThat(r.problems()).isEmpty();
        assertThat(Trees.visible(b)).containsOnlyKeys(RelPath.of("d"), RelPath.of("d/f"));
        assertThat(r.skipped().get("A")).extracting(Skipped::reason).containsOnly(Skipped.Reason.SYMLINK);
    }

    @Test
    void unreadableFiles_areSkipped_andNotDeletedElsewhere() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(file("locked", "secret").unreadable(),
                dir("private", file("x", "1")).unreadable(), file("ok", "ok"));
        MemoryFileTree b = MemoryFileTree.builder().name("b").build(file("locked", "b's copy"),
                dir("private", file("x", "b's x")));
        LocalSyncReport r = Trees.sync(MIRROR, a, b);
        assertThat(r.problems()).isEmpty();
        assertThat(b.readString("locked")).isEqualTo("b's copy");
        assertThat(b.readString("private/x")).isEqualTo("b's x");
        assertThat(b.readString("ok")).isEqualTo("ok");
        assertThat(r.plan().notPlanned()).isNotEmpty();
    }

    @Test
    void veryLongPaths_areSynchronizedWithinTheLimit() throws Exception {
        String seg = "s".repeat(200);
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < 19; i++) {
            p.append(seg).append('/');
        }
        String path = p + "file.txt";
        MemoryFileTree a = MemoryFileTree.builder().name("a").build();
        Trees.write(a, path, "deep", 1_700_000_000L);
        MemoryFileTree b = MemoryFileTree.builder().name("b").build();
        Trees.write(b, path, "old deep", 1_600_000_000L);
        LocalSyncReport r = Trees.sync(MIRROR, a, b);
        assertThat(r.problems()).isEmpty();
        assertThat(b.readString(path)).isEqualTo("deep");
        assertThat(Trees.allContents(b)).contains("file:old deep"); // kept in the versions area
    }

    @Test
    void filesChangingAfterTheInventory_areReportedAndLeftAlone() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(file("src", "v1"), file("both", "a's"));
        MemoryFileTree b = MemoryFileTree.builder().name("b").build(file("both", "b's old version"));
        LocalSyncOptions o = MIRROR;
        LocalSync.InventoryProvider scanThenEdit = (sources, settings, l) -> {
            List<NodeInventory> inv = Trees.scanner(o).scan(sources, settings, l);
            Trees.write(a, "src", "v2 (edited during the run)", 1_900_000_000L);
            Trees.write(b, "both", "b's newer edit", 1_900_000_000L);
            return inv;
        };
        LocalSyncReport r = LocalSync.run(List.of(DataSource.directory("A", a), DataSource.directory("B", b)), o,
                scanThenEdit, SyncListener.NOOP);
        assertThat(r.problems()).extracting(ItemResult::outcome).containsOnly(ItemResult.Outcome.SKIPPED_CHANGED);
        assertThat(r.problems()).extracting(ItemResult::message).anyMatch(m -> m.contains("src"))
                .anyMatch(m -> m.contains("both") && m.contains("run again"));
        assertThat(b.readString("both")).isEqualTo("b's newer edit");
        assertThat(b.stat(RelPath.of("src"))).isEmpty();
        // the next run picks the changes up
        LocalSyncReport again = Trees.sync(o, a, b);
        assertThat(again.problems()).isEmpty();
        assertThat(b.readString("src")).isEqualTo("v2 (edited during the run)");
    }

    @Test
    void leftoverTemporaryFiles_areRemovedAndNeverSynchronized() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(file(".ciphersync.tmp.deadbeef", "half a file"),
                file("real", "r"));
        MemoryFileTree b = MemoryFileTree.builder().name("b").build(dir("d", file(".ciphersync.tmp.01", "x")));
        LocalSyncReport r = Trees.sync(MIRROR, a, b);
        assertThat(r.tempFilesRemoved()).isEqualTo(2);
        assertThat(Trees.visible(b)).containsOnlyKeys(RelPath.of("real"));
    }

    @Test
    void engineFolder_onASource_isNeverCopiedOrDeleted() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(dir(".ciphersync", dir("versions", file("v~1", "old"))));
        MemoryFileTree b = MemoryFileTree.builder().name("b").build(file("x", "x"));
        Trees.sync(MIRROR, a, b);
        assertThat(b.snapshot().keySet()).noneMatch(p -> p.value().startsWith(".ciphersync/versions/v~1"));
        assertThat(a.readString(".ciphersync/versions/v~1")).isEqualTo("old");
    }

    @Test
    void caseInsensitiveSetting_onCaseSensitiveTrees_pairsByFoldedName() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(file("Photo.JPG", "p").mtime(1_800_000_000_000_000_000L));
        MemoryFileTree b = MemoryFileTree.builder().name("b").build(file("photo.jpg", "old"));
        LocalSyncOptions o = MIRROR.withSettings(SyncSettings.defaults()
                .withCaseSensitivity(SyncSettings.CaseSensitivity.INSENSITIVE));
        Trees.sync(o, a, b);
        assertThat(b.readString("photo.jpg")).isEqualTo("p");
        assertThat(b.stat(RelPath.of("Photo.JPG"))).isEmpty();
    }
}
