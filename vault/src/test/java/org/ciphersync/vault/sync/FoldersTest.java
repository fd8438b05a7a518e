package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ciphersync.vault.setup.TestVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folders are stored with their mtime and mode (docs/design.md (Vault) §4.2, §4.4): empty ones
 * survive up-sync → restore and up-sync → down-sync, their removal propagates only while nothing
 * unknown is in them, and writing into a folder during a down-sync does not make it look changed.
 */
class FoldersTest {
    @TempDir
    Path tmp;
    TestVault vault;
    TestVault.Computer a;
    TestVault.Computer b;

    @BeforeEach
    void setUp() throws IOException {
        vault = new TestVault(tmp);
        a = vault.computer("alpha", "me").init();
        b = vault.computer("beta", "me").join();
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    /** A tree with nested empty folders, unusual modes and fixed mtimes (folders' set after their content). */
    private void makeTree(TestVault.Computer c) throws IOException {
        c.write("docs/a.txt", "alpha");
        c.write("docs/sub/b.txt", "beta");
        Files.createDirectories(c.home.resolve("docs/empty/nested/deeper"));
        Files.createDirectories(c.home.resolve("docs/private"));
        Files.createDirectories(c.home.resolve("docs/readonly"));
        Files.setPosixFilePermissions(c.home.resolve("docs/private"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(c.home.resolve("docs/sub/b.txt"), PosixFilePermissions.fromString("rw-------"));
        long t = 1_600_000_000_000L;
        for (String d : List.of("docs/empty/nested/deeper", "docs/empty/nested", "docs/empty", "docs/private", "docs/sub",
                "docs/readonly", "docs")) {
            t += 1_000;
            Files.setLastModifiedTime(c.home.resolve(d), FileTime.fromMillis(t));
        }
        Files.setPosixFilePermissions(c.home.resolve("docs/readonly"), PosixFilePermissions.fromString("r-xr-xr-x"));
    }

    /** Every entry below {@code root}: relative path → kind, mode, mtime (and content for files). */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                long mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS);
                String what = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file " + Files.readString(p);
                out.put(rel, what + " " + perms + " " + mtime);
            }
        }
        return out;
    }

    private static void makeWritable(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    @AfterEach
    void writableAgain() throws IOException {
        makeWritable(tmp); // so the temporary folder can be removed
    }

    /** Beta's up-sync found no change of its own (its first one still records that beta covers the root). */
    private static void assertNoChange(UpSync.Summary s) {
        assertThat(s.newFiles() + s.changedFiles() + s.removedFiles()).as("file changes").isZero();
        assertThat(s.folders().changes()).as("folder changes").isZero();
    }

    @Test
    void upThenRestore_reproducesEmptyFoldersWithTheirMtimesAndModes() throws IOException {
        makeTree(a);
        Map<String, String> before = describe(a.home.resolve("docs"));
        UpSync.Summary s = a.up("docs");
        assertThat(s.folders().added()).isEqualTo(7); // docs and its 6 folders

        Path target = tmp.resolve("restored");
        Restore.Result r = Restore.run(a.opened().repo(), TestVault.NS, "latest", p -> true, target);
        assertThat(r.failures()).isEmpty();
        assertThat(describe(target.resolve("home/docs"))).isEqualTo(before);
        assertThat(r.restored()).contains("~/docs/empty/nested/deeper", "~/docs/a.txt");
    }

    @Test
    void upThenDownOnAnotherComputer_reproducesTheTree_andNothingIsLeftToDoOnEitherSide() throws IOException {
        makeTree(a);
        Map<String, String> before = describe(a.home.resolve("docs"));
        a.up("docs");

        List<Action> preview = DownSync.preview(b.opened().repo(), b.opened().computer(), DownSync.Options.of(TestVault.NS));
        assertThat(preview).filteredOn(Action::folder).extracting(x -> x.kind() + " " + x.path()).containsExactly(
                "RESTORE ~/docs", "RESTORE ~/docs/empty", "RESTORE ~/docs/empty/nested", "RESTORE ~/docs/empty/nested/deeper",
                "RESTORE ~/docs/private", "RESTORE ~/docs/readonly", "RESTORE ~/docs/sub");
        DownSync.Result r = b.down();
        assertThat(r.failures()).isEmpty();
        assertThat(r.plan()).isEqualTo(preview);
        assertThat(describe(b.home.resolve("docs"))).isEqualTo(before);

        assertThat(b.down().plan()).as("a second down-sync has nothing to do").isEmpty();
        assertNoChange(b.up("docs"));
        assertThat(a.down().plan()).isEmpty();
    }

    @Test
    void anEmptyFolderAdded_isAChange_andAppearsOnTheOtherComputer() throws IOException {
        a.write("docs/a.txt", "a");
        a.up("docs");
        b.down();
        Files.createDirectories(a.home.resolve("docs/new-empty"));
        UpSync.Summary s = a.up("docs");
        assertThat(s.commit()).as("a new empty folder is a new point in time").isNotNull();
        assertThat(s.newFiles() + s.changedFiles() + s.removedFiles()).isZero();
        assertThat(s.folders().added()).isEqualTo(1);
        assertThat(s.folders().changed()).as("docs' mtime changed").isEqualTo(1);
        assertThat(a.up("docs").commit()).as("nothing changed since").isNull();

        DownSync.Result r = b.down();
        assertThat(r.plan()).extracting(x -> x.kind() + " " + x.path()).containsExactly("UPDATE ~/docs", "RESTORE ~/docs/new-empty");
        assertThat(Files.isDirectory(b.home.resolve("docs/new-empty"))).isTrue();
        assertThat(Files.getLastModifiedTime(b.home.resolve("docs")))
                .isEqualTo(Files.getLastModifiedTime(a.home.resolve("docs")));
    }

    @Test
    void aFolderChmodded_isAChange_andItsModeReachesTheOtherComputer() throws IOException {
        Files.createDirectories(a.home.resolve("docs/shared"));
        a.up("docs");
        b.down();
        Files.setPosixFilePermissions(a.home.resolve("docs/shared"), PosixFilePermissions.fromString("rwx------"));
        UpSync.Summary s = a.up("docs");
        assertThat(s.folders().changed()).isEqualTo(1);
        assertThat(b.down().plan()).extracting(x -> x.kind() + " " + x.path()).containsExactly("UPDATE ~/docs/shared");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(b.home.resolve("docs/shared")))).isEqualTo("rwx------");
    }

    @Test
    void anEmptyFolderRemoved_isRemovedByDownSync() throws IOException {
        a.write("docs/a.txt", "a");
        Files.createDirectories(a.home.resolve("docs/gone/inner"));
        a.up("docs");
        b.down();
        assertThat(Files.isDirectory(b.home.resolve("docs/gone/inner"))).isTrue();

        Files.delete(a.home.resolve("docs/gone/inner"));
        Files.delete(a.home.resolve("docs/gone"));
        UpSync.Summary s = a.up("docs");
        assertThat(s.folders().removed()).isEqualTo(2);
        assertThat(s.commit()).isNotNull();

        List<Action> preview = DownSync.preview(b.opened().repo(), b.opened().computer(), DownSync.Options.of(TestVault.NS));
        assertThat(preview).filteredOn(x -> x.kind() == Action.Kind.DELETE).extracting(x -> x.path().toString())
                .containsExactly("~/docs/gone", "~/docs/gone/inner");
        DownSync.Result r = b.down();
        assertThat(r.failures()).isEmpty();
        assertThat(b.exists("docs/gone")).isFalse();
        assertThat(b.read("docs/a.txt")).isEqualTo("a");
        assertNoChange(b.up("docs"));
    }

    @Test
    void aRemovedFolderThatHoldsLocalFiles_isKept_withTheLocalFiles_andComesBack() throws IOException {
        a.write("docs/d/known.txt", "known");
        a.up("docs");
        b.down();
        // alpha removes the folder; beta meanwhile puts a file of its own into it
        Files.delete(a.home.resolve("docs/d/known.txt"));
        Files.delete(a.home.resolve("docs/d"));
        a.up("docs");
        b.write("docs/d/mine.txt", "beta's own");

        DownSync.Result r = b.down();
        assertThat(r.failures()).isEmpty();
        assertThat(r.plan()).filteredOn(x -> x.path().toString().startsWith("~/docs/d"))
                .extracting(x -> x.kind() + " " + x.path()).containsExactly("CONFLICT ~/docs/d", "DELETE ~/docs/d/known.txt");
        assertThat(b.exists("docs/d/known.txt")).as("the known file went to the versions area").isFalse();
        assertThat(Files.readString(Path.of(r.versionsDir()).resolve("home/docs/d/known.txt"))).isEqualTo("known");
        assertThat(b.read("docs/d/mine.txt")).isEqualTo("beta's own");

        // beta's next up-sync publishes the folder and its file; alpha gets both back
        b.up("docs");
        a.down();
        assertThat(a.read("docs/d/mine.txt")).isEqualTo("beta's own");
    }

    @Test
    void aRemovedFolderIsNotDeleted_whenTheMassDeleteGuardRefusesTheRun() throws IOException {
        for (int i = 0; i < 20; i++) {
            a.write("docs/d/f" + i + ".txt", "file " + i);
        }
        Files.createDirectories(a.home.resolve("docs/d/empty"));
        a.up("docs");
        b.down();
        try (Stream<Path> s = Files.walk(a.home.resolve("docs/d"))) {
            for (Path p : s.sorted((x, y) -> y.compareTo(x)).toList()) {
                Files.delete(p);
            }
        }
        a.up("docs");
        assertThatThrownBy(b::down).hasMessageContaining("mass-delete guard").hasMessageContaining("20 of the 20 files");
        assertThat(Files.isDirectory(b.home.resolve("docs/d/empty"))).isTrue();
        b.down(new DownSync.Options(TestVault.NS, List.of(), false, true, false));
        assertThat(b.exists("docs/d")).isFalse();
        assertThat(b.exists("docs")).isTrue();
    }

    @Test
    void downSyncWritingIntoAFolder_leavesItsMtimeAsTheVaultHasIt() throws IOException {
        a.write("docs/a.txt", "one");
        Files.setLastModifiedTime(a.home.resolve("docs"), FileTime.fromMillis(1_500_000_000_000L));
        a.up("docs");
        b.down();
        assertThat(Files.getLastModifiedTime(b.home.resolve("docs")).toMillis()).isEqualTo(1_500_000_000_000L);

        // alpha rewrites the file in place: the folder's mtime does not change there, but beta's
        // down-sync replaces the file by a rename, which would change the folder's mtime
        Files.writeString(a.home.resolve("docs/a.txt"), "two");
        a.up("docs");
        DownSync.Result r = b.down();
        assertThat(r.plan()).extracting(x -> x.kind() + " " + x.path()).containsExactly("OVERWRITE ~/docs/a.txt");
        assertThat(Files.getLastModifiedTime(b.home.resolve("docs")).toMillis()).isEqualTo(1_500_000_000_000L);
        assertNoChange(b.up("docs"));
    }

    @Test
    void aFolderChangedOnBothComputers_convergesWithoutConflictCopies() throws IOException {
        Files.createDirectories(a.home.resolve("docs"));
        a.up("docs");
        b.down();
        a.write("docs/from-a.txt", "a");
        b.write("docs/from-b.txt", "b");
        Files.setLastModifiedTime(a.home.resolve("docs"), FileTime.fromMillis(1_700_000_000_000L));
        Files.setLastModifiedTime(b.home.resolve("docs"), FileTime.fromMillis(1_700_000_100_000L));
        a.up("docs");
        b.up("docs");
        a.down();
        b.down();
        a.up("docs");
        b.up("docs");
        a.down();
        b.down();
        assertThat(a.read("docs/from-b.txt")).isEqualTo("b");
        assertThat(b.read("docs/from-a.txt")).isEqualTo("a");
        try (Stream<Path> s = Files.list(a.home.resolve("docs"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("from-a.txt", "from-b.txt");
        }
        assertThat(Files.getLastModifiedTime(a.home.resolve("docs"))).isEqualTo(Files.getLastModifiedTime(b.home.resolve("docs")));
        assertThat(a.up("docs").commit()).isNull();
        assertThat(b.up("docs").commit()).isNull();
        assertThat(a.down().plan()).isEmpty();
        assertThat(b.down().plan()).isEmpty();
    }
}
