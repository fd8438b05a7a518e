package org.ciphersync.vault.prune;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ciphersync.vault.check.VaultCheck;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.BlobKind;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.tree.BlobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneTest {
    @TempDir
    Path tmp;

    static java.time.Clock at(long millis) {
        return java.time.Clock.fixed(java.time.Instant.ofEpochMilli(millis), java.time.ZoneOffset.UTC);
    }

    /** An interrupted up-sync left a pack and an index object that no commit references. */
    private static void leaveGarbage(Repository repo, ComputerId writer) {
        byte[] pack = new byte[100];
        BlobName p = repo.savePack(writer, pack, pack.length);
        repo.saveIndex(TestVault.NS, writer, List.of(new IndexEntry(BlobId.of(new byte[32]), BlobKind.CHUNK, p, 0, 100, 10)));
    }

    @Test
    void prune_deletesGarbageOnlyAfterGraceAndAcknowledgement_andNeverLiveData() throws IOException {
        TestVault v = new TestVault(tmp);
        TestVault.Computer a = v.computer("alpha", "me").init();
        TestVault.Computer b = v.computer("beta", "me").join();
        a.write("docs/a.txt", "live data");
        a.up("docs");
        Repository repo = a.opened().repo();
        ComputerId me = a.opened().computer().config().computer();
        leaveGarbage(repo, me);
        long packsBefore = v.store().listAll(BlobType.PACK).size();

        long t0 = System.currentTimeMillis();
        Prune.Result first = Prune.run(repo, me, List.of(TestVault.NS), Duration.ofHours(1), at(t0));
        assertThat(first.candidates()).isEqualTo(2);
        assertThat(first.deleted()).as("nothing is deleted within the grace period").isZero();

        Prune.Result afterGrace = Prune.run(repo, me, List.of(TestVault.NS), Duration.ofHours(1), at(t0 + Duration.ofHours(2).toMillis()));
        assertThat(afterGrace.deleted()).as("beta has not acknowledged yet").isZero();
        assertThat(afterGrace.waitingForComputers()).containsExactly(b.opened().computer().config().computer().shortForm());

        // beta runs any operation after the candidates were first seen: that acknowledges
        Prune.acknowledge(b.opened().repo(), b.opened().computer().config().computer(), t0 + 1);
        Prune.Result done = Prune.run(repo, me, List.of(TestVault.NS), Duration.ofHours(1), at(t0 + Duration.ofHours(2).toMillis()));
        assertThat(done.deleted()).isEqualTo(2);
        assertThat(v.store().listAll(BlobType.PACK)).hasSize((int) packsBefore - 1);
        assertThat(VaultCheck.run(repo, List.of(TestVault.NS), "all").errors()).isEmpty();
        b.down();
        assertThat(b.read("docs/a.txt")).isEqualTo("live data");
        a.close();
        b.close();
    }

    @Test
    void prune_refusesWhenANamespaceInUseWasNotNamed() throws IOException {
        TestVault v = new TestVault(tmp);
        TestVault.Computer a = v.computer("alpha", "me").init();
        a.write("f.txt", "x");
        org.ciphersync.vault.sync.UpSync.run(a.opened().repo(), a.opened().computer(), "app.mail",
                List.of(a.home.resolve("f.txt")), org.ciphersync.vault.sync.Progress.NONE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Prune.run(a.opened().repo(),
                        a.opened().computer().config().computer(), List.of(TestVault.NS), Duration.ZERO, java.time.Clock.systemUTC()))
                .hasMessageContaining("namespace that was not named");
        a.close();
    }
}
