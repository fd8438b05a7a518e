package org.ciphersync.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ciphersync.core.path.RelPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalFileTree} passes the {@link FileTreeContract} and never follows a link. */
class LocalFileTreeTest extends FileTreeContract {
    @TempDir
    Path tmp;
    Path rootDir;
    Path outside;

    @Override
    protected FileTree newTree() throws IOException {
        rootDir = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "outside the root");
        return new LocalFileTree(rootDir);
    }

    @Test
    void linuxTmp_isCaseSensitive_andHasModeAndFileKey() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"));
        assertThat(tree.caseSensitive()).isTrue();
        assertThat(tree.capabilities()).contains(FileTree.Capability.POSIX_MODE, FileTree.Capability.FILE_KEY);
    }

    @Test
    void explicitCaseSensitivity_overridesTheProbe() throws IOException {
        assertThat(new LocalFileTree(rootDir, false).caseSensitive()).isFalse();
    }

    @Test
    void caseProbe_leavesNoFileBehind() throws IOException {
        new LocalFileTree(rootDir);
        try (var s = Files.list(rootDir)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void constructor_onAFile_failsNamingIt() throws IOException {
        Path f = Files.writeString(tmp.resolve("plain"), "x");
        assertThatThrownBy(() -> new LocalFileTree(f)).isInstanceOf(IOException.class).hasMessageContaining("plain");
    }

    @Test
    void stat_ofSymlink_isTheLinkNotItsTarget() throws IOException {
        Files.createSymbolicLink(rootDir.resolve("link"), outside.resolve("secret.txt"));
        FileAttrs a = tree.stat(p("link")).orElseThrow();
        assertThat(a.type()).isEqualTo(EntryType.SYMLINK);
        assertThat(a.size()).isZero();
        assertThat(tree.readLink(p("link"))).isEqualTo(outside.resolve("secret.txt").toString());
    }

    @Test
    void openRead_ofSymlinkToAFileOutside_fails() throws IOException {
        Files.createSymbolicLink(rootDir.resolve("link"), outside.resolve("secret.txt"));
        assertThatThrownBy(() -> tree.openRead(p("link"))).isInstanceOf(IOException.class).hasMessageContaining("not a regular file");
    }

    @Test
    void everyOperationThroughASymlinkedDirectory_fails() throws IOException {
        Files.createSymbolicLink(rootDir.resolve("esc"), outside);
        assertThatThrownBy(() -> tree.openRead(p("esc/secret.txt"))).hasMessageContaining("symbolic link 'esc'");
        assertThatThrownBy(() -> tree.stat(p("esc/secret.txt"))).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> tree.list(p("esc"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> tree.createNew(p("esc/new.txt"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> tree.openWrite(p("esc/secret.txt"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> tree.delete(p("esc/secret.txt"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> tree.rename(p("esc/secret.txt"), p("stolen"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> tree.createDirectories(p("esc/sub"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> tree.setMtime(p("esc/secret.txt"), 0)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> tree.setPosixMode(p("esc/secret.txt"), 0777)).isInstanceOf(IOException.class);
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("outside the root");
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(outside.resolve("sub")).doesNotExist();
    }

    @Test
    void deepLinkInTheMiddleOfAPath_isDetected() throws IOException {
        Files.createDirectories(rootDir.resolve("a/b"));
        Files.createSymbolicLink(rootDir.resolve("a/b/c"), outside);
        assertThatThrownBy(() -> tree.openRead(p("a/b/c/secret.txt"))).hasMessageContaining("'a/b/c'");
    }

    @Test
    void createNew_onADanglingSymlink_failsAndWritesNothingAtItsTarget() throws IOException {
        Files.createSymbolicLink(rootDir.resolve("trap"), outside.resolve("planted.txt"));
        assertThatThrownBy(() -> tree.createNew(p("trap"))).isInstanceOf(IOException.class);
        assertThat(outside.resolve("planted.txt")).doesNotExist();
    }

    @Test
    void setPosixMode_onASymlink_failsAndLeavesTheTargetAlone() throws IOException {
        Path target = outside.resolve("secret.txt");
        Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(rootDir.resolve("link"), target);
        assertThatThrownBy(() -> tree.setPosixMode(p("link"), 0777)).isInstanceOf(IOException.class);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-------");
    }

    @Test
    void symlinkLoop_isListedAsALink() throws IOException {
        Files.createSymbolicLink(rootDir.resolve("self"), rootDir.resolve("self"));
        Files.createDirectories(rootDir.resolve("d"));
        Files.createSymbolicLink(rootDir.resolve("d/up"), Path.of(".."));
        assertThat(tree.list(RelPath.ROOT)).filteredOn(e -> e.name().equals("self"))
                .singleElement().satisfies(e -> assertThat(e.attrs().type()).isEqualTo(EntryType.SYMLINK));
        assertThat(tree.list(p("d"))).singleElement().satisfies(e -> assertThat(e.attrs().type()).isEqualTo(EntryType.SYMLINK));
        assertThatThrownBy(() -> tree.list(p("d/up"))).isInstanceOf(IOException.class);
    }

    @Test
    void rename_replacesATargetSymlinkItself_notItsTarget() throws IOException {
        Files.createSymbolicLink(rootDir.resolve("b"), outside.resolve("secret.txt"));
        write("a", "new");
        tree.rename(p("a"), p("b"));
        assertThat(tree.stat(p("b")).orElseThrow().type()).isEqualTo(EntryType.FILE);
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("outside the root");
    }

    @Test
    void readLink_ofARegularFile_failsWithNotLink() throws IOException {
        write("f", "x");
        assertThatThrownBy(() -> tree.readLink(p("f"))).isInstanceOf(NotLinkException.class);
    }

    @Test
    void fifo_isListedAsOther_andIsNeverOpened() throws Exception {
        Path fifo = rootDir.resolve("pipe");
        assumeTrue(mkfifo(fifo), "mkfifo not available");
        assertThat(tree.stat(p("pipe")).orElseThrow().type()).isEqualTo(EntryType.OTHER);
        // Opening a FIFO for reading would block forever; the tree refuses before opening.
        assertThatThrownBy(() -> tree.openRead(p("pipe"))).hasMessageContaining("not a regular file");
    }

    @Test
    void fsyncAndFsyncDirectory_succeedOnRealEntries() throws IOException {
        tree.createDirectories(p("d"));
        write("d/f", "x");
        tree.fsync(p("d/f"));
        tree.fsyncDirectory(p("d"));
        tree.fsyncDirectory(RelPath.ROOT);
        assertThatThrownBy(() -> tree.fsyncDirectory(p("d/f"))).isInstanceOf(IOException.class);
    }

    @Test
    void stat_reportsNanosecondMtimeSizeModeAndAStableFileKey() throws IOException {
        write("f", "12345");
        long t = 1_700_000_000_123_456_789L;
        tree.setMtime(p("f"), t);
        tree.setPosixMode(p("f"), 0640);
        FileAttrs a = tree.stat(p("f")).orElseThrow();
        assertThat(a.size()).isEqualTo(5);
        assertThat(a.mtimeNanos()).isEqualTo(t);
        assertThat(a.posixMode()).isEqualTo(0640);
        assertThat(a.fileKey()).isNotEqualTo(-1L);
        write("g", "12345");
        assertThat(tree.stat(p("g")).orElseThrow().fileKey()).isNotEqualTo(a.fileKey());
        assertThat(Files.getLastModifiedTime(rootDir.resolve("f")).to(TimeUnit.NANOSECONDS)).isEqualTo(t);
    }

    @Test
    void theFileKey_isTheInodeAndDevice_asTheUnixViewGivesThem() throws IOException {
        assumeTrue(rootDir.getFileSystem().supportedFileAttributeViews().contains("unix"));
        write("f", "x");
        var unix = Files.readAttributes(rootDir.resolve("f"), "unix:ino,dev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        assertThat(tree.stat(p("f")).orElseThrow().fileKey())
                .isEqualTo(LocalFileTree.fileKey((Long) unix.get("ino"), (Long) unix.get("dev")));
    }

    @Test
    void aPlatformFileKey_thatDoesNotReadAsDevAndInode_isUnknown() {
        assertThat(LocalFileTree.fileKey((Object) "(dev=fe00,ino=5308461)")).isEqualTo(LocalFileTree.fileKey(5308461, 0xfe00));
        for (String hostile : new String[] {"", "(dev=,ino=1)", "(dev=fe00,ino=)", "(dev=zz,ino=1)", "(ino=1,dev=2)",
                "(dev=fe00,ino=12", "dev=fe00,ino=12)", "(dev=fe00,ino=-5)", "(dev=fe00,ino=99999999999999999999999)"}) {
            assertThat(LocalFileTree.fileKey((Object) hostile)).as(hostile).isEqualTo(-1L);
        }
        assertThat(LocalFileTree.fileKey((Object) null)).isEqualTo(-1L);
    }

    @Test
    void delete_ofTheRoot_isRefused() {
        assertThatThrownBy(() -> tree.delete(RelPath.ROOT)).hasMessageContaining("sync root");
    }

    @Test
    void nonAsciiNames_roundTrip() throws IOException {
        write("caf\u00e9 \u65e5\u672c.txt", "x");
        assertThat(tree.list(RelPath.ROOT)).extracting(DirEntry::name).contains("caf\u00e9 \u65e5\u672c.txt");
        try (SeekableByteChannel ch = tree.openRead(p("caf\u00e9 \u65e5\u672c.txt"))) {
            ByteBuffer b = ByteBuffer.allocate(4);
            ch.read(b);
            assertThat(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8)).isEqualTo("x");
        }
    }

    static boolean mkfifo(Path p) {
        try {
            Process pr = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
            return pr.waitFor(10, TimeUnit.SECONDS) && pr.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
