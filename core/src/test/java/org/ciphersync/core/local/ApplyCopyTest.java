package org.ciphersync.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.core.fs.MemoryFileTree.dir;
import static org.ciphersync.core.fs.MemoryFileTree.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.ciphersync.core.apply.ItemResult;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.fs.ForwardingTree;
import org.ciphersync.core.fs.ForwardingTree.ForwardingChannel;
import org.ciphersync.core.fs.LocalFileTree;
import org.ciphersync.core.fs.MemoryFileTree;
import org.ciphersync.core.inventory.DataSource;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.plan.ActionType;
import org.ciphersync.core.state.EngineArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File copies of an apply: what they report, what they check, and the optional read-back. */
class ApplyCopyTest {
    static final LocalSyncOptions MIRROR = LocalSyncOptions.defaults(SyncMode.MIRROR).withForce(true)
            .withVersionsRetention(null);

    /** The attributes a copy reports come from the temporary file; the rename must not change them. */
    static void assertReportedAttributesAreOnDisk(LocalSyncReport r, FileTree target) throws IOException {
        List<ItemResult> copies = r.apply().results().stream()
                .filter(x -> x.action().type() == ActionType.COPY).toList();
        assertThat(copies).isNotEmpty().allMatch(ItemResult::ok);
        for (ItemResult x : copies) {
            assertThat(x.after()).as(x.action().targetPath().toString())
                    .isEqualTo(target.stat(x.action().targetPath()).orElseThrow());
        }
    }

    @Test
    void copies_reportTheAttributesTheyHaveUnderTheirFinalName_inMemory() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(file("plain", "p"),
                file("private", "secret").mode(0600), dir("bin", file("tool", "#!/bin/sh").mode(0755)));
        MemoryFileTree b = MemoryFileTree.builder().name("b").build(file("plain", "older p"));
        LocalSyncReport r = Trees.sync(MIRROR, a, b);
        assertReportedAttributesAreOnDisk(r, b);
        assertThat(b.stat(RelPath.of("private")).orElseThrow().posixMode()).isEqualTo(0600);
        assertThat(b.stat(RelPath.of("bin/tool")).orElseThrow().posixMode()).isEqualTo(0755);
    }

    @Test
    void copies_reportTheAttributesTheyHaveUnderTheirFinalName_onDisk(@TempDir Path tmp) throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(a.resolve("plain"), "p");
        Files.writeString(b.resolve("plain"), "older p");
        Files.createDirectories(a.resolve("bin"));
        Files.writeString(a.resolve("bin/tool"), "#!/bin/sh");
        LocalFileTree ta = new LocalFileTree(a);
        LocalFileTree tb = new LocalFileTree(b);
        boolean posix = ta.capabilities().contains(FileTree.Capability.POSIX_MODE);
        if (posix) {
            Files.setPosixFilePermissions(a.resolve("bin/tool"), PosixFilePermissions.fromString("rwxr-x---"));
        }
        LocalSyncReport r = Trees.sync(MIRROR, ta, tb);
        assertReportedAttributesAreOnDisk(r, tb);
        assertThat(Files.readString(b.resolve("bin/tool"))).isEqualTo("#!/bin/sh");
        if (posix) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("bin/tool"))))
                    .isEqualTo("rwxr-x---");
        }
    }

    /** Stores every written file with its first byte flipped: a write path that loses data. */
    static final class CorruptingTree extends ForwardingTree {
        CorruptingTree(FileTree delegate) {
            super(delegate);
        }

        @Override
        public SeekableByteChannel createNew(RelPath file) throws IOException {
            return new ForwardingChannel(delegate.createNew(file)) {
                @Override
                public int write(ByteBuffer src) throws IOException {
                    boolean first = ch.position() == 0;
                    ByteBuffer copy = ByteBuffer.allocate(src.remaining()).put(src).flip();
                    if (first && copy.hasRemaining()) {
                        copy.put(0, (byte) (copy.get(0) ^ 1));
                    }
                    return ch.write(copy);
                }
            };
        }
    }

    @Test
    void verifyWrites_readsEveryFileBack_andRefusesBytesThatDifferFromWhatWasWritten() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(file("x", "the content"));
        MemoryFileTree b = MemoryFileTree.builder().name("b").build();
        LocalSyncReport r = Trees.sync(MIRROR.withVerifyWrites(true), a, new CorruptingTree(b));
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.outcome()).isEqualTo(ItemResult.Outcome.FAILED);
            assertThat(p.message()).contains("x", "verification failed", "nothing partial");
        });
        assertThat(Trees.visible(b)).isEmpty();
        assertThat(b.snapshot().keySet()).noneMatch(p -> EngineArea.isTempName(p.name())); // no leftover either
    }

    @Test
    void withoutVerifyWrites_theWritePathIsTrusted_andTheSizeIsStillChecked() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(file("x", "the content"));
        MemoryFileTree b = MemoryFileTree.builder().name("b").build();
        LocalSyncReport r = Trees.sync(MIRROR, a, new CorruptingTree(b));
        // no read-back: a same-size corruption by the file system is not seen (docs/design.md, "Apply")
        assertThat(r.problems()).isEmpty();
        assertThat(b.read("x")).hasSize("the content".length());
    }

    @Test
    void aSourceThatVanishedAfterTheInventory_isSkippedAsChanged_notFailed() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(file("gone", "g"), file("kept", "k"));
        MemoryFileTree b = MemoryFileTree.builder().name("b").build();
        LocalSync.InventoryProvider scanThenDelete = (sources, settings, l) -> {
            List<NodeInventory> inv = Trees.scanner(MIRROR).scan(sources, settings, l);
            a.delete(RelPath.of("gone"));
            return inv;
        };
        LocalSyncReport r = LocalSync.run(List.of(DataSource.directory("A", a), DataSource.directory("B", b)),
                MIRROR, scanThenDelete, SyncListener.NOOP);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.outcome()).isEqualTo(ItemResult.Outcome.SKIPPED_CHANGED);
            assertThat(p.message()).contains("gone", "disappeared", "run again");
        });
        assertThat(Trees.visible(b)).containsOnlyKeys(RelPath.of("kept"));
    }

    /**
     * Refuses, as the kernel does for anyone but root, to add, rename or remove a name in a folder
     * whose owner bits lack write or search permission (tests run as root, which bypasses them).
     */
    static final class OwnerPermissionTree extends ForwardingTree {
        OwnerPermissionTree(FileTree delegate) {
            super(delegate);
        }

        private void mayChange(RelPath path) throws IOException {
            RelPath parent = path.parent();
            while (!parent.isRoot() && delegate.stat(parent).isEmpty()) {
                parent = parent.parent();
            }
            int mode = delegate.stat(parent).map(a -> a.posixMode()).orElse(-1);
            if (mode >= 0 && (mode & 0300) != 0300) {
                throw new java.nio.file.AccessDeniedException(parent.toString(), null, "Permission denied");
            }
        }

        @Override
        public SeekableByteChannel createNew(RelPath file) throws IOException {
            mayChange(file);
            return super.createNew(file);
        }

        @Override
        public void rename(RelPath from, RelPath to) throws IOException {
            mayChange(from);
            mayChange(to);
            super.rename(from, to);
        }

        @Override
        public void delete(RelPath path) throws IOException {
            mayChange(path);
            super.delete(path);
        }

        @Override
        public void createDirectories(RelPath dir) throws IOException {
            if (delegate.stat(dir).isEmpty()) {
                mayChange(dir);
            }
            super.createDirectories(dir);
        }
    }

    @Test
    void readOnlyFolders_areFilledFirst_andGetTheirOwnModeLast() throws Exception {
        MemoryFileTree a = MemoryFileTree.builder().name("a").build(
                dir("archive", file("photo", "p"), dir("inner", file("note", "n")).mode(0500)).mode(0555));
        MemoryFileTree b = MemoryFileTree.builder().name("b").build();
        LocalSyncReport r = Trees.sync(MIRROR, a, new OwnerPermissionTree(b));
        assertThat(r.problems()).isEmpty();
        assertThat(Trees.visible(b)).containsEntry(RelPath.of("archive/photo"), "file:p")
                .containsEntry(RelPath.of("archive/inner/note"), "file:n");
        assertThat(b.stat(RelPath.of("archive")).orElseThrow().posixMode()).isEqualTo(0555);
        assertThat(b.stat(RelPath.of("archive/inner")).orElseThrow().posixMode()).isEqualTo(0500);
        assertThat(r.apply().results()).filteredOn(x -> x.action().type() == ActionType.CREATE_DIRECTORY)
                .extracting(x -> x.after().posixMode()).containsExactlyInAnyOrder(0555, 0500);
    }
}
