package org.ciphersync.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.core.fs.MemoryFileTree.dir;
import static org.ciphersync.core.fs.MemoryFileTree.file;
import static org.ciphersync.core.fs.MemoryFileTree.symlink;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import org.ciphersync.core.path.RelPath;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MemoryFileTreeTest extends FileTreeContract {

    @Override
    protected FileTree newTree() {
        return MemoryFileTree.of();
    }

    @Test
    void fixture_buildsNestedEntriesWithMetadata() throws IOException {
        MemoryFileTree t = MemoryFileTree.of(file("a.txt", "A").mtime(42).mode(0600),
                dir("d", file("b", "B"), symlink("up", "..")));
        assertThat(t.readString("a.txt")).isEqualTo("A");
        assertThat(t.stat(p("a.txt")).orElseThrow().mtimeNanos()).isEqualTo(42);
        assertThat(t.stat(p("a.txt")).orElseThrow().posixMode()).isEqualTo(0600);
        assertThat(t.stat(p("d/up")).orElseThrow().type()).isEqualTo(EntryType.SYMLINK);
        assertThat(t.readLink(p("d/up"))).isEqualTo("..");
        assertThat(t.snapshot()).containsOnlyKeys(p("a.txt"), p("d"), p("d/b"), p("d/up"));
    }

    @Test
    void fixture_withDuplicateName_isRejected() {
        assertThatThrownBy(() -> MemoryFileTree.of(file("a", "1"), file("a", "2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a");
    }

    @Test
    void symlink_isNeverFollowed_evenWhenItPointsAtADirectory() {
        MemoryFileTree t = MemoryFileTree.of(dir("real", file("f", "x")), symlink("link", "real"));
        assertThatThrownBy(() -> t.list(p("link"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> t.openRead(p("link/f"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> t.openRead(p("link"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> t.createDirectories(p("link/sub"))).isInstanceOf(IOException.class);
    }

    @Test
    void symlinkLoop_isJustAnEntry() throws IOException {
        MemoryFileTree t = MemoryFileTree.of(symlink("self", "self"), dir("d", symlink("up", "..")));
        assertThat(t.list(RelPath.ROOT)).hasSize(2);
        assertThat(t.list(p("d"))).singleElement().satisfies(e -> assertThat(e.attrs().type())
                .isEqualTo(EntryType.SYMLINK));
    }

    @Test
    void unreadableFile_failsToOpenWithAccessDenied() throws IOException {
        MemoryFileTree t = MemoryFileTree.of(file("secret", "x").unreadable(), dir("d").unreadable());
        assertThatThrownBy(() -> t.openRead(p("secret"))).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> t.list(p("d"))).isInstanceOf(AccessDeniedException.class);
        assertThat(t.stat(p("secret"))).isPresent();
    }

    @Test
    void clock_stampsWrites() throws IOException {
        MemoryFileTree t = MemoryFileTree.builder().clock(() -> 777L).build();
        t.write("a", "x");
        assertThat(t.stat(p("a")).orElseThrow().mtimeNanos()).isEqualTo(777L);
    }

    @Test
    void noPosix_reportsNoModeAndRefusesToSetOne() throws IOException {
        MemoryFileTree t = MemoryFileTree.builder().noPosix().build(file("a", "x"));
        assertThat(t.stat(p("a")).orElseThrow().posixMode()).isEqualTo(FileAttrs.NO_MODE);
        assertThat(t.setPosixMode(p("a"), 0600)).isFalse();
        assertThat(t.capabilities()).doesNotContain(FileTree.Capability.POSIX_MODE);
    }

    @Test
    void fsync_isCounted() throws IOException {
        MemoryFileTree t = MemoryFileTree.of(file("a", "x"));
        t.fsync(p("a"));
        assertThat(t.fsyncCount("a")).isEqualTo(1);
    }

    @Test
    void renameOfDirectoryIntoItself_fails() throws IOException {
        MemoryFileTree t = MemoryFileTree.of(dir("d", dir("e")));
        assertThatThrownBy(() -> t.rename(p("d"), p("d/e/d"))).isInstanceOf(IOException.class);
        assertThat(t.stat(p("d/e"))).isPresent();
    }

    @Nested
    class CaseInsensitive {
        final MemoryFileTree t = MemoryFileTree.builder().caseInsensitive().build(file("Readme.TXT", "x"));

        @Test
        void lookup_ignoresCase_butKeepsTheStoredName() throws IOException {
            assertThat(t.caseSensitive()).isFalse();
            assertThat(t.stat(p("readme.txt"))).isPresent();
            assertThat(t.list(RelPath.ROOT)).extracting(DirEntry::name).containsExactly("Readme.TXT");
        }

        @Test
        void createNew_withAnotherCase_failsWithFileAlreadyExists() {
            assertThatThrownBy(() -> t.createNew(p("README.txt"))).isInstanceOf(FileAlreadyExistsException.class);
        }

        @Test
        void names_differingOnlyInNormalization_areTheSameEntry() throws IOException {
            MemoryFileTree u = MemoryFileTree.builder().caseInsensitive().build(file("caf\u00e9", "nfc"));
            assertThat(u.stat(p("cafe\u0301"))).isPresent();
            assertThatThrownBy(() -> u.createNew(p("cafe\u0301"))).isInstanceOf(FileAlreadyExistsException.class);
        }

        @Test
        void rename_toAnotherCase_changesTheStoredName() throws IOException {
            t.rename(p("Readme.TXT"), p("README.txt"));
            assertThat(t.list(RelPath.ROOT)).extracting(DirEntry::name).containsExactly("README.txt");
        }
    }

    @Test
    void caseSensitiveTree_holdsNamesDifferingOnlyByCase() throws IOException {
        MemoryFileTree t = MemoryFileTree.of(file("a", "1"), file("A", "2"));
        assertThat(t.readString("a")).isEqualTo("1");
        assertThat(t.readString("A")).isEqualTo("2");
    }
}
