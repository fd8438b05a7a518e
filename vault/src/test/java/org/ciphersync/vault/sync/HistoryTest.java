package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.check.CheckReport;
import org.ciphersync.vault.check.VaultCheck;
import org.ciphersync.vault.repo.LogEntry;
import org.ciphersync.vault.repo.VaultView;
import org.ciphersync.vault.setup.TestVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V9: every up-sync is a restorable point in time; check passes on a sound vault. */
class HistoryTest {
    @TempDir
    Path tmp;

    @Test
    void restoreAtAnOlderCommit_writesThatVersionIntoTheTarget_andLeavesTheOriginalAlone() throws IOException, InterruptedException {
        TestVault v = new TestVault(tmp.resolve("v"));
        TestVault.Computer a = v.computer("alpha", "me").init();
        a.write("doc.txt", "version 1");
        String first = a.up("doc.txt").commit();
        Thread.sleep(5); // commits a few ms apart so times order them
        a.write("doc.txt", "version 2, longer");
        String second = a.up("doc.txt").commit();

        VaultView view = VaultView.load(a.opened().repo(), TestVault.NS);
        assertThat(view.history()).extracting(LogEntry::shortId).containsExactly(first, second);

        Path target = tmp.resolve("restored");
        Restore.Result r = Restore.run(a.opened().repo(), TestVault.NS, first, p -> true, target);
        assertThat(r.restored()).containsExactly("~/doc.txt");
        assertThat(Files.readString(target.resolve("home/doc.txt"))).isEqualTo("version 1");
        assertThat(a.read("doc.txt")).isEqualTo("version 2, longer");

        Path target2 = tmp.resolve("restored2");
        Restore.run(a.opened().repo(), TestVault.NS, second, p -> true, target2);
        assertThat(Files.readString(target2.resolve("home/doc.txt"))).isEqualTo("version 2, longer");
        a.close();
    }

    @Test
    void restoreAt_unknownIdOrTime_isAUsageError(@TempDir Path target) throws IOException {
        TestVault v = new TestVault(tmp.resolve("v"));
        TestVault.Computer a = v.computer("alpha", "me").init();
        a.write("doc.txt", "x");
        a.up("doc.txt");
        assertThatThrownBy(() -> Restore.run(a.opened().repo(), TestVault.NS, "nonsense", p -> true, target))
                .isInstanceOf(VaultException.class).hasMessageContaining("neither a commit id");
        a.close();
    }

    @Test
    void check_onASoundVaultWithTwoComputers_reportsNoErrors() throws IOException {
        TestVault v = new TestVault(tmp.resolve("v"));
        TestVault.Computer a = v.computer("alpha", "me").init();
        TestVault.Computer b = v.computer("beta", "me").join();
        a.write("docs/a.txt", "a".repeat(100_000));
        a.up("docs");
        b.down();
        b.write("docs/b.txt", "b");
        b.up("docs");
        CheckReport report = VaultCheck.run(a.opened().repo(), List.of(TestVault.NS), "all");
        assertThat(report.errors()).isEmpty();
        assertThat(report.commits()).isEqualTo(2);
        assertThat(report.blobsRead()).isGreaterThan(0);
        assertThat(report.unreferenced()).isZero();
        a.close();
        b.close();
    }
}
