package org.ciphersync.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.ciphersync.core.plan.ActionType;
import org.ciphersync.core.plan.SyncRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local Synchronization on real folders, with the inventory cache file. */
class LocalSyncFolderTest {
    @TempDir
    Path tmp;

    LocalSyncOptions options(SyncMode mode) {
        return LocalSyncOptions.defaults(mode).withCacheDir(tmp.resolve("cache"));
    }

    Path folder(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void mirror_copiesContentDatesAndPermissions_andASecondRunPlansNothing() throws Exception {
        Path a = folder("a");
        Path b = folder("b");
        Files.createDirectories(a.resolve("docs/deep"));
        Path f = Files.writeString(a.resolve("docs/deep/report.txt"), "quarterly numbers");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-05-01T10:00:00.123456789Z")));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(b.resolve("stale.txt"), "old");

        LocalSyncReport r = LocalSync.run(List.of(a, b), options(SyncMode.MIRROR).withForce(true), SyncListener.NOOP);
        assertThat(r.problems()).isEmpty();
        Path copy = b.resolve("docs/deep/report.txt");
        assertThat(Files.readString(copy)).isEqualTo("quarterly numbers");
        assertThat(Files.getLastModifiedTime(copy)).isEqualTo(Files.getLastModifiedTime(f));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-r-----");
        assertThat(b.resolve("stale.txt")).doesNotExist();
        try (Stream<Path> versions = Files.walk(b.resolve(".ciphersync/versions"))) {
            assertThat(versions.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("stale.txt~"));
        }
        LocalSyncReport again = LocalSync.run(List.of(a, b), options(SyncMode.MIRROR), SyncListener.NOOP);
        assertThat(again.plan().actions()).isEmpty();
        try (Stream<Path> all = Files.walk(b)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".ciphersync.tmp."));
        }
    }

    @Test
    void twoWay_onFolders_convergesAndKeepsConflicts() throws Exception {
        Path a = folder("a");
        Path b = folder("b");
        Files.writeString(a.resolve("shared.txt"), "base");
        LocalSync.run(List.of(a, b), options(SyncMode.TWO_WAY), SyncListener.NOOP);
        assertThat(Files.readString(b.resolve("shared.txt"))).isEqualTo("base");
        Files.writeString(a.resolve("shared.txt"), "A's edit");
        Files.setLastModifiedTime(a.resolve("shared.txt"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        Files.writeString(b.resolve("shared.txt"), "B's longer edit");
        Files.setLastModifiedTime(b.resolve("shared.txt"), FileTime.from(Instant.parse("2030-01-02T00:00:00Z")));
        LocalSyncReport r = LocalSync.run(List.of(a, b), options(SyncMode.TWO_WAY), SyncListener.NOOP);
        assertThat(r.problems()).isEmpty();
        assertThat(r.planned()).containsKey(ActionType.KEEP_AS_CONFLICT);
        assertThat(Files.readString(a.resolve("shared.txt"))).isEqualTo("B's longer edit");
        assertThat(Files.readString(b.resolve("shared.conflict-A-20300101-000000.txt"))).isEqualTo("A's edit");
        assertThat(LocalSync.run(List.of(a, b), options(SyncMode.TWO_WAY), SyncListener.NOOP).plan().actions()).isEmpty();
    }

    @Test
    void missingRoot_isRefusedNamingTheFolder() throws Exception {
        Path a = folder("a");
        Path gone = tmp.resolve("not-mounted");
        assertThatThrownBy(() -> LocalSync.run(List.of(a, gone), options(SyncMode.MIRROR), SyncListener.NOOP))
                .isInstanceOf(SyncRefusedException.class).hasMessageContaining("B: " + gone)
                .satisfies(e -> assertThat(((SyncRefusedException) e).reason())
                        .isEqualTo(SyncRefusedException.Reason.ROOT_MISSING));
    }

    @Test
    void massDelete_isRefusedUnlessForced() throws Exception {
        Path a = folder("a");
        Path b = folder("b");
        Files.writeString(a.resolve("only-one"), "1");
        for (int i = 0; i < 20; i++) {
            Files.writeString(b.resolve("f" + i), "x");
        }
        assertThatThrownBy(() -> LocalSync.run(List.of(a, b), options(SyncMode.MIRROR), SyncListener.NOOP))
                .isInstanceOf(SyncRefusedException.class).hasMessageContaining("B: 20 of 20 items")
                .hasMessageContaining("--force");
        assertThat(b.resolve("f0")).exists();
        LocalSyncReport forced = LocalSync.run(List.of(a, b), options(SyncMode.MIRROR).withForce(true), SyncListener.NOOP);
        assertThat(forced.planned()).containsEntry(ActionType.DELETE, 20);
    }

    @Test
    void progress_isReportedPerPhase() throws Exception {
        Path a = folder("a");
        Path b = folder("b");
        Files.writeString(a.resolve("x"), "12345");
        List<SyncListener.Phase> phases = new java.util.concurrent.CopyOnWriteArrayList<>();
        long[] applied = new long[2];
        LocalSync.run(List.of(a, b), options(SyncMode.UPDATE), new SyncListener() {
            @Override
            public void phase(Phase phase) {
                phases.add(phase);
            }

            @Override
            public void progress(Phase phase, long filesDone, long filesTotal, long bytesDone, long bytesTotal) {
                if (phase == Phase.APPLY) {
                    applied[0] = filesDone;
                    applied[1] = bytesDone;
                }
            }
        });
        assertThat(phases).containsSubsequence(SyncListener.Phase.INVENTORY, SyncListener.Phase.COMPARISON,
                SyncListener.Phase.PLAN, SyncListener.Phase.APPLY, SyncListener.Phase.DONE);
        assertThat(applied).containsExactly(1, 5);
    }

    @Test
    void renameFailingOnARealFolder_leavesTheOldFileWhole_andTheNextRunFinishes() throws Exception {
        Path a = folder("a");
        Path b = folder("b");
        Files.writeString(a.resolve("doc.txt"), "new content that is longer");
        Files.setLastModifiedTime(a.resolve("doc.txt"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        Files.writeString(b.resolve("doc.txt"), "old content");
        LocalSyncOptions o = options(SyncMode.MIRROR);
        org.ciphersync.core.fs.FaultyFileTree faulty = new org.ciphersync.core.fs.FaultyFileTree(
                new org.ciphersync.core.fs.LocalFileTree(b));
        faulty.inject(org.ciphersync.core.fs.FaultyFileTree.Fault.on(org.ciphersync.core.fs.FaultyFileTree.Op.RENAME)
                .matching(p -> p.value().equals("doc.txt")).once());
        List<org.ciphersync.core.inventory.DataSource> ds = List.of(
                org.ciphersync.core.inventory.DataSource.directory("A", new org.ciphersync.core.fs.LocalFileTree(a)),
                org.ciphersync.core.inventory.DataSource.directory("B", faulty));
        LocalSyncReport first = LocalSync.run(ds, o, Trees.scanner(o), SyncListener.NOOP);
        assertThat(first.problems()).singleElement().satisfies(r ->
                assertThat(r.message()).contains("B: could not write doc.txt").contains("run again"));
        try (Stream<Path> all = Files.walk(b)) {
            assertThat(all.filter(Files::isRegularFile).filter(p -> !p.startsWith(b.resolve(".ciphersync")))
                    .map(p -> p.getFileName().toString())).allMatch(n -> n.equals("doc.txt"));
        }
        assertThat(Files.readString(b.resolve("doc.txt"))).isIn("old content", "new content that is longer");
        LocalSyncReport second = LocalSync.run(ds, o, Trees.scanner(o), SyncListener.NOOP);
        assertThat(second.problems()).isEmpty();
        assertThat(Files.readString(b.resolve("doc.txt"))).isEqualTo("new content that is longer");
    }
}
