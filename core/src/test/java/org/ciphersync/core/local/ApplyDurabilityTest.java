package org.ciphersync.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.core.fs.MemoryFileTree.dir;
import static org.ciphersync.core.fs.MemoryFileTree.file;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.ciphersync.core.apply.ApplyListener;
import org.ciphersync.core.apply.ApplyOptions;
import org.ciphersync.core.apply.ApplyReport;
import org.ciphersync.core.apply.Applier;
import org.ciphersync.core.apply.ItemResult;
import org.ciphersync.core.fs.FaultyFileTree;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.fs.ForwardingTree;
import org.ciphersync.core.fs.MemoryFileTree;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.plan.Plan;
import org.ciphersync.core.state.EngineArea;
import org.junit.jupiter.api.Test;

/**
 * The batched durability of copies: files are written, fsynced and only then renamed into place,
 * and the touched folders are fsynced after the renames (docs/design.md, "Apply").
 */
class ApplyDurabilityTest {

    /** Records fsyncs, renames and folder fsyncs in the order they happen. */
    static final class RecordingTree extends ForwardingTree {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());

        RecordingTree(FileTree delegate) {
            super(delegate);
        }

        @Override
        public void fsync(RelPath file) throws IOException {
            super.fsync(file);
            log.add("fsync " + file);
        }

        @Override
        public void fsync(RelPath file, SeekableByteChannel open) throws IOException {
            super.fsync(file, open);
            log.add("fsync " + file);
        }

        @Override
        public void rename(RelPath from, RelPath to) throws IOException {
            super.rename(from, to);
            log.add("rename " + from + " " + to);
        }

        @Override
        public void fsyncDirectory(RelPath d) throws IOException {
            super.fsyncDirectory(d);
            log.add("fsyncdir " + d);
        }
    }

    static MemoryFileTree source() {
        return MemoryFileTree.builder().name("a").build(file("one", "1"), file("two", "22"),
                dir("d", file("three", "333"), file("four", "4444"), dir("e", file("five", "55555"))), file("six", "6"));
    }

    /** Plans a mirror of {@code a} onto {@code b} and applies it with the given batching. */
    static ApplyReport apply(MemoryFileTree a, FileTree b, int batchFiles, int syncThreads) throws Exception {
        LocalSyncOptions o = LocalSyncOptions.defaults(SyncMode.MIRROR).withForce(true).withDryRun(true);
        Plan plan = Trees.sync(o, a, b).plan();
        ApplyOptions ao = ApplyOptions.defaults().withThreads(3).withBatch(batchFiles, syncThreads);
        return Applier.apply(plan, Map.of("A", a, "B", b), ao, new ApplyListener() { });
    }

    @Test
    void everyFileIsFsyncedBeforeItsRename_andEachFolderAfterTheRenamesIntoIt() throws Exception {
        for (int batch : new int[] {1, 2, 512}) {
            MemoryFileTree b = MemoryFileTree.builder().name("b").build(file("two", "old two"));
            RecordingTree rec = new RecordingTree(b);
            ApplyReport r = apply(source(), rec, batch, 3);
            assertThat(r.results()).allMatch(ItemResult::ok);
            List<String> log = List.copyOf(rec.log);
            int renames = 0;
            for (int i = 0; i < log.size(); i++) {
                String[] op = log.get(i).split(" ");
                if (!op[0].equals("rename") || !EngineArea.isTempName(RelPath.of(op[1]).name())) {
                    continue;
                }
                renames++;
                assertThat(log.subList(0, i)).as("batch %d: %s", batch, log.get(i)).contains("fsync " + op[1]);
                RelPath parent = RelPath.of(op[2]).parent();
                assertThat(log.subList(i + 1, log.size())).as("batch %d: folder of %s", batch, op[2])
                        .contains("fsyncdir " + (parent == null ? RelPath.ROOT : parent));
            }
            assertThat(renames).isEqualTo(6);
            for (String f : List.of("one", "two", "d/three", "d/four", "d/e/five", "six")) {
                assertThat(b.fsyncCount(f)).as(f).isEqualTo(1); // the count moves with the file
            }
            assertThat(Trees.visible(b)).isEqualTo(Trees.visible(source()));
        }
    }

    @Test
    void withBatches_everyFsyncOfABatchComesBeforeItsFirstRename() throws Exception {
        MemoryFileTree b = MemoryFileTree.builder().name("b").build();
        RecordingTree rec = new RecordingTree(b);
        apply(source(), rec, 512, 4);
        List<String> log = List.copyOf(rec.log);
        int lastFsync = -1;
        int firstRename = Integer.MAX_VALUE;
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith("fsync ")) {
                lastFsync = i;
            } else if (log.get(i).startsWith("rename ")) {
                firstRename = Math.min(firstRename, i);
            }
        }
        assertThat(lastFsync).isLessThan(firstRename); // one batch: all durable, then all renamed
    }

    @Test
    void aFailedFsyncInABatch_failsOnlyThatFile_andLeavesNoTemporaryFile() throws Exception {
        MemoryFileTree b = MemoryFileTree.builder().name("b").build();
        FaultyFileTree faulty = new FaultyFileTree(b).inject(FaultyFileTree.Fault.on(FaultyFileTree.Op.FSYNC).onCall(3).once());
        ApplyReport r = apply(source(), faulty, 4, 2);
        List<ItemResult> failed = r.results().stream().filter(x -> !x.ok()).toList();
        assertThat(failed).singleElement().satisfies(x -> assertThat(x.message())
                .contains(x.action().targetPath().toString(), "injected fault", "nothing partial"));
        assertThat(b.snapshot().keySet()).noneMatch(p -> EngineArea.isTempName(p.name()));
        assertThat(b.stat(failed.getFirst().action().targetPath())).isEmpty();
        assertThat(Trees.visible(b)).hasSize(5 + 2); // the other five files and the folders d, d/e
    }
}
