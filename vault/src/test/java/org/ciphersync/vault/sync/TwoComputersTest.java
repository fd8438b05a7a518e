package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.tree.VaultPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two computers (separate homes and state folders) on one local-folder vault. */
class TwoComputersTest {
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

    @Test
    void upOnA_thenDownOnB_restoresContentAndMtimeIntoBsHome() throws IOException {
        a.write("docs/a.txt", "hello from alpha");
        a.write("docs/sub/b.bin", "x".repeat(300_000));
        Files.setLastModifiedTime(a.home.resolve("docs/a.txt"), java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
        UpSync.Summary s = a.up("docs");
        assertThat(s.newFiles()).isEqualTo(2);
        assertThat(s.commit()).isNotNull();

        DownSync.Result r = b.down();
        assertThat(r.failures()).isEmpty();
        assertThat(r.plan()).extracting(Action::kind).containsOnly(Action.Kind.RESTORE);
        assertThat(b.read("docs/a.txt")).isEqualTo("hello from alpha");
        assertThat(b.read("docs/sub/b.bin")).hasSize(300_000);
        assertThat(Files.getLastModifiedTime(b.home.resolve("docs/a.txt")).toMillis()).isEqualTo(1_600_000_000_000L);
        assertThat(b.down().plan()).as("a second down-sync has nothing to do").isEmpty();
    }

    @Test
    void upWithoutChanges_writesNoCommitAndUploadsNothing() throws IOException {
        a.write("docs/a.txt", "one");
        a.up("docs");
        UpSync.Summary again = a.up("docs");
        assertThat(again.commit()).isNull();
        assertThat(again.uploadedBytes()).isZero();
    }

    @Test
    void preview_listsExactlyWhatDownSyncThenDoes() throws IOException {
        a.write("docs/new.txt", "new");
        a.write("docs/changed.txt", "v1");
        a.write("docs/gone.txt", "bye");
        a.up("docs");
        b.down();
        a.write("docs/changed.txt", "v2 from alpha");
        Files.delete(a.home.resolve("docs/gone.txt"));
        a.write("docs/another.txt", "another");
        a.up("docs");

        List<Action> preview = DownSync.preview(b.opened().repo(), b.opened().computer(), DownSync.Options.of(TestVault.NS));
        DownSync.Result done = b.down();
        assertThat(done.plan()).isEqualTo(preview);
        // ~/docs changed too (files came and went): beta gets its new mtime
        assertThat(preview).extracting(x -> x.kind() + " " + x.path()).containsExactlyInAnyOrder(
                "OVERWRITE ~/docs/changed.txt", "DELETE ~/docs/gone.txt", "RESTORE ~/docs/another.txt", "UPDATE ~/docs");
        assertThat(b.read("docs/changed.txt")).isEqualTo("v2 from alpha");
        assertThat(b.exists("docs/gone.txt")).isFalse();
    }

    @Test
    void selectiveDown_touchesOnlyWhatWasChosen() throws IOException {
        a.write("docs/keep/a.txt", "a");
        a.write("docs/skip/b.txt", "b");
        a.write("music/c.txt", "c");
        a.up("docs", "music");
        DownSync.Result r = b.down(new DownSync.Options(TestVault.NS, List.of("~/docs/keep"), false, false, false));
        assertThat(r.plan()).extracting(x -> x.path().toString()).containsExactly("~/docs/keep", "~/docs/keep/a.txt");
        assertThat(b.exists("docs/keep/a.txt")).isTrue();
        assertThat(b.exists("docs/skip/b.txt")).isFalse();
        assertThat(b.exists("music/c.txt")).isFalse();
        // a glob selects by pattern
        b.down(new DownSync.Options(TestVault.NS, List.of(b.home + "/**/c.txt"), false, false, false));
        assertThat(b.exists("music/c.txt")).isTrue();
        assertThat(b.exists("docs/skip/b.txt")).isFalse();
    }

    @Test
    void concurrentEditsOfOneFile_becomeAConflictThatKeepsBothCopies() throws IOException {
        a.write("notes.txt", "base");
        a.up("notes.txt");
        b.down();
        a.write("notes.txt", "edited on alpha");
        b.write("notes.txt", "edited on beta");
        // beta's edit is the newer one, so it wins the tie-break and alpha gets the conflict copy
        Files.setLastModifiedTime(a.home.resolve("notes.txt"), java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
        Files.setLastModifiedTime(b.home.resolve("notes.txt"), java.nio.file.attribute.FileTime.fromMillis(1_700_000_100_000L));
        a.up("notes.txt");
        b.up("notes.txt");

        DownSync.Result onA = a.down();
        assertThat(onA.plan()).extracting(Action::kind).containsExactly(Action.Kind.CONFLICT);
        try (Stream<Path> files = Files.list(a.home)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names).contains("notes.txt");
            assertThat(names).anyMatch(n -> n.startsWith("notes (conflict from beta ") && n.endsWith(").txt"));
        }
        assertThat(a.read("notes.txt")).isEqualTo("edited on alpha");
        try (Stream<Path> files = Files.list(a.home)) {
            Path copy = files.filter(p -> p.getFileName().toString().contains("conflict")).findFirst().orElseThrow();
            assertThat(Files.readString(copy)).isEqualTo("edited on beta");
        }
        assertThat(b.down().plan()).as("beta's version won: nothing to do there").isEmpty();
        // alpha's next up-sync publishes its local file over the merged version, and the conflict copy as a new file
        UpSync.Summary s = a.up("notes.txt");
        assertThat(s.changedFiles()).isEqualTo(1);
        b.down();
        assertThat(b.read("notes.txt")).isEqualTo("edited on alpha");
    }

    @Test
    void deletionPropagates_andTheDeletedFileIsKeptInTheVersionsArea() throws IOException {
        a.write("docs/old.txt", "precious");
        a.up("docs");
        b.down();
        Files.delete(a.home.resolve("docs/old.txt"));
        assertThat(a.up("docs").removedFiles()).isEqualTo(1);

        DownSync.Result r = b.down();
        assertThat(b.exists("docs/old.txt")).isFalse();
        assertThat(r.versionsDir()).isNotNull();
        Path kept = Path.of(r.versionsDir()).resolve("home/docs/old.txt");
        assertThat(Files.readString(kept)).isEqualTo("precious");
    }

    @Test
    void differentUserName_isRefusedNamingTheSetting_unlessAllowed() throws IOException {
        TestVault.Computer c = vault.computer("gamma", "someone-else").join();
        try {
            a.write("docs/a.txt", "a");
            a.up("docs");
            assertThatThrownBy(c::down).isInstanceOf(VaultException.class)
                    .hasMessageContaining("allow-other-user")
                    .extracting(e -> ((VaultException) e).kind()).isEqualTo(VaultException.Kind.REFUSED);
            assertThat(c.exists("docs/a.txt")).isFalse();
            c.down(new DownSync.Options(TestVault.NS, List.of(), false, false, true));
            assertThat(c.read("docs/a.txt")).isEqualTo("a");
        } finally {
            c.close();
        }
    }

    @Test
    void massDelete_isRefusedUnlessAllowed() throws IOException {
        for (int i = 0; i < 20; i++) {
            a.write("docs/f" + i + ".txt", "file " + i);
        }
        a.up("docs");
        b.down();
        for (int i = 0; i < 20; i++) {
            Files.delete(a.home.resolve("docs/f" + i + ".txt"));
        }
        a.up("docs");
        assertThatThrownBy(b::down).hasMessageContaining("mass-delete guard");
        assertThat(b.exists("docs/f0.txt")).isTrue();
        b.down(new DownSync.Options(TestVault.NS, List.of(), false, true, false));
        assertThat(b.exists("docs/f0.txt")).isFalse();
    }

    @Test
    void editAfterDownSync_fastForwardsBackToTheFirstComputer() throws IOException {
        a.write("doc.txt", "v1");
        a.up("doc.txt");
        b.down();
        b.write("doc.txt", "v2 by beta");
        b.up("doc.txt");
        DownSync.Result r = a.down();
        assertThat(r.plan()).extracting(Action::kind).containsExactly(Action.Kind.OVERWRITE);
        assertThat(a.read("doc.txt")).isEqualTo("v2 by beta");
    }

    @Test
    void homeRelativePaths_areStoredRelativeToTheHome() throws IOException {
        a.write("x/y.txt", "z");
        a.up("x");
        List<Action> plan = DownSync.preview(b.opened().repo(), b.opened().computer(), DownSync.Options.of(TestVault.NS));
        assertThat(plan).extracting(Action::path).containsExactly(VaultPath.parse("~/x"), VaultPath.parse("~/x/y.txt"));
    }

    @Test
    void aLinkInTheWay_neverRedirectsAWriteOutsideTheHome() throws IOException {
        Path outside = tmp.resolve("outside");
        Files.createDirectories(outside);
        a.write("docs/sub/file.txt", "payload");
        a.up("docs");
        // a link planted on beta where a folder of the vault path should be
        Files.createDirectories(b.home);
        Files.createSymbolicLink(b.home.resolve("docs"), outside);
        DownSync.Result r = b.down();
        assertThat(r.failures()).extracting(ItemFailure::message).anyMatch(m -> m.contains("through the link"));
        try (Stream<Path> s = Files.walk(outside)) {
            assertThat(s.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }
}
