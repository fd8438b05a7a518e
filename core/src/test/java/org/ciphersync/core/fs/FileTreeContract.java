package org.ciphersync.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.ciphersync.core.path.RelPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link FileTree} MUST show, run against each implementation (extend it and
 * return a fresh, empty, case-sensitive tree). Strict fakes pass only if real trees do the same.
 */
public abstract class FileTreeContract {

    protected FileTree tree;

    /** A new empty tree. */
    protected abstract FileTree newTree() throws IOException;

    @BeforeEach
    void setUp() throws IOException {
        tree = newTree();
    }

    static RelPath p(String s) {
        return RelPath.of(s);
    }

    void write(String path, String content) throws IOException {
        try (SeekableByteChannel ch = tree.createNew(p(path))) {
            ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        }
    }

    String read(String path) throws IOException {
        try (SeekableByteChannel ch = tree.openRead(p(path))) {
            ByteBuffer b = ByteBuffer.allocate((int) ch.size());
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
            return new String(b.array(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void stat_ofMissingEntry_isEmpty() throws IOException {
        assertThat(tree.stat(p("nope"))).isEmpty();
    }

    @Test
    void stat_ofRoot_isDirectory() throws IOException {
        assertThat(tree.stat(RelPath.ROOT)).hasValueSatisfying(a -> assertThat(a.isDirectory()).isTrue());
    }

    @Test
    void createNew_thenRead_returnsTheBytesAndSize() throws IOException {
        write("a.txt", "hello");
        assertThat(read("a.txt")).isEqualTo("hello");
        assertThat(tree.stat(p("a.txt")).orElseThrow().size()).isEqualTo(5);
        assertThat(tree.stat(p("a.txt")).orElseThrow().type()).isEqualTo(EntryType.FILE);
    }

    @Test
    void createNew_onExistingName_failsWithFileAlreadyExists() throws IOException {
        write("a.txt", "x");
        assertThatThrownBy(() -> tree.createNew(p("a.txt"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(read("a.txt")).isEqualTo("x");
    }

    @Test
    void createNew_withMissingParent_failsWithNoSuchFile() {
        assertThatThrownBy(() -> tree.createNew(p("missing/a.txt"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void openRead_ofDirectory_fails() throws IOException {
        tree.createDirectories(p("d"));
        assertThatThrownBy(() -> tree.openRead(p("d"))).isInstanceOf(IOException.class);
    }

    @Test
    void openRead_ofMissingFile_failsWithNoSuchFile() {
        assertThatThrownBy(() -> tree.openRead(p("nope"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void list_returnsNamesAndTypes() throws IOException {
        tree.createDirectories(p("d/e"));
        write("d/f", "1");
        assertThat(tree.list(p("d"))).extracting(DirEntry::name).containsExactlyInAnyOrder("e", "f");
        assertThat(tree.list(p("d"))).filteredOn(e -> e.name().equals("e"))
                .allSatisfy(e -> assertThat(e.attrs().isDirectory()).isTrue());
    }

    @Test
    void list_ofMissingDirectory_failsWithNoSuchFile() {
        assertThatThrownBy(() -> tree.list(p("nope"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void rename_replacesAnExistingFileAtomically() throws IOException {
        write("a", "new");
        write("b", "old");
        tree.rename(p("a"), p("b"));
        assertThat(read("b")).isEqualTo("new");
        assertThat(tree.stat(p("a"))).isEmpty();
    }

    @Test
    void rename_ofFileOntoDirectory_fails() throws IOException {
        write("a", "x");
        tree.createDirectories(p("d"));
        assertThatThrownBy(() -> tree.rename(p("a"), p("d"))).isInstanceOf(IOException.class);
        assertThat(read("a")).isEqualTo("x");
    }

    @Test
    void rename_intoMissingParent_failsWithNoSuchFile() throws IOException {
        write("a", "x");
        assertThatThrownBy(() -> tree.rename(p("a"), p("missing/a"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void rename_ofMissingSource_failsWithNoSuchFile() {
        assertThatThrownBy(() -> tree.rename(p("nope"), p("b"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void rename_ofDirectory_movesItsContents() throws IOException {
        tree.createDirectories(p("d"));
        write("d/f", "x");
        tree.createDirectories(p("e"));
        tree.rename(p("d"), p("e/d2"));
        assertThat(read("e/d2/f")).isEqualTo("x");
        assertThat(tree.stat(p("d"))).isEmpty();
    }

    @Test
    void delete_ofNonEmptyDirectory_failsWithDirectoryNotEmpty() throws IOException {
        tree.createDirectories(p("d"));
        write("d/f", "x");
        assertThatThrownBy(() -> tree.delete(p("d"))).isInstanceOf(DirectoryNotEmptyException.class);
    }

    @Test
    void delete_ofMissingEntry_failsWithNoSuchFile() {
        assertThatThrownBy(() -> tree.delete(p("nope"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void delete_removesFilesAndEmptyDirectories() throws IOException {
        tree.createDirectories(p("d"));
        write("d/f", "x");
        tree.delete(p("d/f"));
        tree.delete(p("d"));
        assertThat(tree.stat(p("d"))).isEmpty();
    }

    @Test
    void createDirectories_isIdempotentAndCreatesParents() throws IOException {
        tree.createDirectories(p("a/b/c"));
        tree.createDirectories(p("a/b/c"));
        assertThat(tree.stat(p("a/b")).orElseThrow().isDirectory()).isTrue();
    }

    @Test
    void createDirectories_throughAFile_fails() throws IOException {
        write("a", "x");
        assertThatThrownBy(() -> tree.createDirectories(p("a/b"))).isInstanceOf(IOException.class);
    }

    @Test
    void setMtime_isReadBackBySecondPrecisionAtLeast() throws IOException {
        write("a", "x");
        long t = 1_600_000_000_123_456_789L;
        tree.setMtime(p("a"), t);
        long got = tree.stat(p("a")).orElseThrow().mtimeNanos();
        assertThat(got / 1_000_000_000L).isEqualTo(t / 1_000_000_000L);
    }

    @Test
    void setPosixMode_whenSupported_isReadBack() throws IOException {
        write("a", "x");
        if (tree.capabilities().contains(FileTree.Capability.POSIX_MODE)) {
            assertThat(tree.setPosixMode(p("a"), 0600)).isTrue();
            assertThat(tree.stat(p("a")).orElseThrow().posixMode() & 0777).isEqualTo(0600);
        } else {
            assertThat(tree.setPosixMode(p("a"), 0600)).isFalse();
        }
    }

    @Test
    void fileKey_whenSupported_survivesRename() throws IOException {
        write("a", "x");
        if (tree.capabilities().contains(FileTree.Capability.FILE_KEY)) {
            long key = tree.stat(p("a")).orElseThrow().fileKey();
            tree.rename(p("a"), p("b"));
            assertThat(tree.stat(p("b")).orElseThrow().fileKey()).isEqualTo(key);
        }
    }

    @Test
    void openWrite_editsInPlace() throws IOException {
        write("a", "hello");
        try (SeekableByteChannel ch = tree.openWrite(p("a"))) {
            ch.position(1);
            ch.write(ByteBuffer.wrap("EL".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(read("a")).isEqualTo("hELlo");
    }

    @Test
    void fsync_ofMissingFile_fails() {
        assertThatThrownBy(() -> tree.fsync(p("nope"))).isInstanceOf(IOException.class);
    }
}
