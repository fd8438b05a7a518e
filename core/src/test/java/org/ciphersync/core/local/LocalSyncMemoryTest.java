package org.ciphersync.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.core.fs.MemoryFileTree.dir;
import static org.ciphersync.core.fs.MemoryFileTree.file;

import org.ciphersync.core.apply.ItemResult;
import org.ciphersync.core.fs.MemoryFileTree;
import org.ciphersync.core.plan.ActionType;
import org.ciphersync.core.plan.SyncRefusedException;
import org.junit.jupiter.api.Test;

class LocalSyncMemoryTest {

    static MemoryFileTree tree(String name, MemoryFileTree.Spec... specs) {
        return MemoryFileTree.builder().name(name).build(specs);
    }

    @Test
    void mirror_makesEveryNodeEqualToA_andASecondRunPlansNothing() throws Exception {
        MemoryFileTree a = tree("a", file("x.txt", "new x").mtime(5_000_000_000_000_000_000L),
                dir("d", file("y", "y")));
        MemoryFileTree b = tree("b", file("x.txt", "old x"), file("extra", "e"), dir("d"));
        LocalSyncOptions o = LocalSyncOptions.defaults(SyncMode.MIRROR).withForce(true);
        LocalSyncReport r = Trees.sync(o, a, b);
        assertThat(r.problems()).isEmpty();
        assertThat(Trees.visible(b)).isEqualTo(Trees.visible(a));
        assertThat(Trees.sync(o, a, b).plan().actions()).isEmpty();
        // overwritten and deleted files are kept in the versions area
        assertThat(Trees.allContents(b)).contains("file:old x", "file:e");
    }

    @Test
    void twoWay_propagatesNewFilesBothWays() throws Exception {
        MemoryFileTree a = tree("a", file("fromA", "1"));
        MemoryFileTree b = tree("b", file("fromB", "2"));
        LocalSyncOptions o = LocalSyncOptions.defaults(SyncMode.TWO_WAY);
        LocalSyncReport r = Trees.sync(o, a, b);
        assertThat(r.problems()).isEmpty();
        assertThat(Trees.visible(a)).isEqualTo(Trees.visible(b)).hasSize(2);
        assertThat(Trees.sync(o, a, b).plan().actions()).isEmpty();
    }

    @Test
    void twoWay_concurrentEdits_keepBothVersions() throws Exception {
        MemoryFileTree a = tree("a", file("doc", "base"));
        MemoryFileTree b = tree("b", file("doc", "base"));
        LocalSyncOptions o = LocalSyncOptions.defaults(SyncMode.TWO_WAY);
        Trees.sync(o, a, b);
        Trees.write(a, "doc", "edit on A", 1_800_000_000L);
        Trees.write(b, "doc", "edit on B", 1_800_000_100L);
        LocalSyncReport r = Trees.sync(o, a, b);
        assertThat(r.problems()).isEmpty();
        assertThat(r.planned()).containsKey(ActionType.KEEP_AS_CONFLICT);
        assertThat(Trees.visible(a)).isEqualTo(Trees.visible(b));
        assertThat(a.readString("doc")).isEqualTo("edit on B");
        assertThat(Trees.visible(a).values()).contains("file:edit on A");
        assertThat(Trees.sync(o, a, b).plan().actions()).isEmpty();
    }

    @Test
    void twoWay_deletionPropagates_intoTheVersionsArea() throws Exception {
        MemoryFileTree a = tree("a", file("gone", "g"), file("kept", "k"));
        MemoryFileTree b = tree("b", file("gone", "g"), file("kept", "k"));
        LocalSyncOptions o = LocalSyncOptions.defaults(SyncMode.TWO_WAY);
        Trees.sync(o, a, b);
        a.delete(org.ciphersync.core.path.RelPath.of("gone"));
        LocalSyncReport r = Trees.sync(o, a, b);
        assertThat(r.planned()).containsEntry(ActionType.DELETE, 1);
        assertThat(Trees.visible(b)).containsOnlyKeys(org.ciphersync.core.path.RelPath.of("kept"));
        assertThat(Trees.allContents(b)).contains("file:g");
    }

    @Test
    void mirrorFromAnEmptyFolder_isRefusedUnlessForced() throws Exception {
        MemoryFileTree a = tree("a");
        MemoryFileTree b = tree("b", file("precious", "p"));
        LocalSyncOptions o = LocalSyncOptions.defaults(SyncMode.MIRROR);
        assertThatThrownBy(() -> Trees.sync(o, a, b)).isInstanceOf(SyncRefusedException.class)
                .satisfies(e -> assertThat(((SyncRefusedException) e).reason())
                        .isEqualTo(SyncRefusedException.Reason.SOURCE_EMPTY));
        assertThat(b.readString("precious")).isEqualTo("p");
    }

    @Test
    void dryRun_writesNothing() throws Exception {
        MemoryFileTree a = tree("a", file("x", "1"));
        MemoryFileTree b = tree("b");
        LocalSyncReport r = Trees.sync(LocalSyncOptions.defaults(SyncMode.MIRROR).withDryRun(true), a, b);
        assertThat(r.plan().describe()).singleElement().asString().contains("COPY").contains("x");
        assertThat(b.snapshot()).isEmpty();
        assertThat(r.apply()).isNull();
    }

    @Test
    void itemResults_areReported() throws Exception {
        MemoryFileTree a = tree("a", file("x", "1"), file("y", "2"));
        MemoryFileTree b = tree("b");
        LocalSyncReport r = Trees.sync(LocalSyncOptions.defaults(SyncMode.UPDATE), a, b);
        assertThat(r.apply().results()).extracting(ItemResult::outcome).containsOnly(ItemResult.Outcome.DONE);
        assertThat(r.apply().bytesWritten()).isEqualTo(2);
    }
}
