package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.Commit;
import org.ciphersync.vault.check.CheckReport;
import org.ciphersync.vault.check.VaultCheck;
import org.ciphersync.vault.format.ObjectNames;
import org.ciphersync.vault.prune.Prune;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.CountingBlobStore;
import org.ciphersync.vault.store.CountingBlobStore.Call;
import org.ciphersync.vault.store.CountingBlobStore.Op;
import org.ciphersync.vault.store.FaultInjectingBlobStore;
import org.ciphersync.vault.store.StoreException;
import org.ciphersync.vault.store.decorator.ForwardingBlobStore;
import org.ciphersync.vault.store.decorator.RetryPolicy;
import org.ciphersync.vault.store.decorator.RetryingBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an up-sync asks of the storage (docs/design.md (Vault) §5 and §8), counted at the store: an
 * up-sync after a small change reads nothing it wrote itself, lists no index objects when it left no
 * checkpoint, stores one pack without a checkpoint, and never asks for its commit's name before
 * storing it; a long up-sync keeps a checkpoint before every pack; and an interrupted small up-sync
 * leaves a vault that {@code check} passes and that the next up-sync completes.
 */
class UpSyncRequestsTest {
    @TempDir
    Path tmp;
    private TestVault v;
    private TestVault.Computer a;

    @BeforeEach
    void vaultWithATree() throws IOException {
        v = new TestVault(tmp);
        a = v.computer("alpha", "me").init();
        for (int d = 0; d < 4; d++) {
            for (int f = 0; f < 10; f++) {
                a.write("tree/d" + d + "/f" + f + ".txt", ("folder " + d + " file " + f + "\n").repeat(100 + 50 * f));
            }
        }
        assertThat(a.up("tree").commit()).isNotNull();
        a.close();
    }

    @AfterEach
    void close() {
        a.close();
    }

    /** Opens alpha's vault through {@code store} and up-syncs {@code tree}, as one command does. */
    private UpSync.Summary up(BlobStore store) {
        try (VaultSetup.Opened o = VaultSetup.open(store, Password.of(TestVault.PASSWORD), a.dirs, a.user, Clock.systemUTC())) {
            return UpSync.run(o.repo(), o.computer(), TestVault.NS, List.of(a.home.resolve("tree")), Progress.NONE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean checkpoint(Call c) {
        return c.name() != null && ObjectNames.parseCheckpoint(c.name()) != null;
    }

    private static List<Call> calls(CountingBlobStore s, Op op, BlobType type) {
        return s.calls(c -> c.op() == op && c.type() == type);
    }

    private CheckReport check() {
        CheckReport r = VaultCheck.run(a.opened().repo(), List.of(TestVault.NS), "all");
        assertThat(r.errors()).isEmpty();
        return r;
    }

    private static void writeRandom(Path file, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Files.createDirectories(file.getParent());
        Files.write(file, data);
    }

    @Test
    void upAfterAOneFileChange_eightStoreCalls_noReadOfWhatItWrote_noIndexListing_noCheckpoint() throws IOException {
        a.write("tree/d1/f3.txt", "changed\n");
        CountingBlobStore counted = new CountingBlobStore(v.store());
        UpSync.Summary s = up(counted);
        assertThat(s.changedFiles()).isEqualTo(1);
        assertThat(s.packs()).isEqualTo(1);

        assertThat(counted.calls()).extracting(Call::toString).as("open (config, key slots), acknowledge (leases), "
                + "the logs, then pack, index object, commit").hasSize(8)
                .contains("LOAD config/vault", "LIST keys/", "LIST leases/", "LIST snapshots/");
        assertThat(calls(counted, Op.LOAD, BlobType.SNAPSHOT)).as("its own commit is in its cache").isEmpty();
        assertThat(calls(counted, Op.LOAD, BlobType.INDEX)).as("its own index object is in its cache").isEmpty();
        assertThat(calls(counted, Op.LIST, BlobType.INDEX)).as("its last up-sync left no checkpoint").isEmpty();
        assertThat(counted.calls(UpSyncRequestsTest::checkpoint)).as("one pack: no checkpoint written or deleted").isEmpty();
        assertThat(calls(counted, Op.SAVE, BlobType.PACK)).hasSize(1);
        assertThat(calls(counted, Op.SAVE, BlobType.INDEX)).hasSize(1);
        assertThat(calls(counted, Op.SAVE_IF_ABSENT, BlobType.SNAPSHOT)).hasSize(1);
        assertThat(counted.calls(c -> c.op() == Op.STAT || c.op() == Op.DELETE)).isEmpty();
        check();

        CountingBlobStore unchanged = new CountingBlobStore(v.store());
        assertThat(up(unchanged).commit()).isNull();
        assertThat(unchanged.calls()).as("an unchanged tree: open, acknowledge, the logs; nothing stored").hasSize(5)
                .noneMatch(c -> c.op() == Op.SAVE || c.op() == Op.SAVE_IF_ABSENT || c.op() == Op.LIST && c.type() == BlobType.INDEX);
    }

    @Test
    void changesSealedOnEveryWorker_areJoinedIntoOnePack() throws IOException {
        for (int d = 0; d < 4; d++) {
            for (int f = 0; f < 10; f += 2) {
                writeRandom(a.home.resolve("tree/d" + d + "/f" + f + ".txt"), 300_000, d * 100L + f);
            }
        }
        CountingBlobStore counted = new CountingBlobStore(v.store());
        UpSync.Summary s = up(counted);
        assertThat(s.changedFiles()).isEqualTo(20);
        assertThat(s.packs()).as("6 MB of changes: one pack, whatever the thread each file was sealed on").isEqualTo(1);
        assertThat(calls(counted, Op.SAVE, BlobType.PACK)).hasSize(1);
        assertThat(counted.calls(UpSyncRequestsTest::checkpoint)).isEmpty();
        a.close();
        check();
        TestVault.Computer b = v.computer("beta", "me").join();
        assertThat(b.down().failures()).isEmpty();
        assertThat(Files.mismatch(a.home.resolve("tree/d3/f8.txt"), b.home.resolve("tree/d3/f8.txt"))).isEqualTo(-1);
        b.close();
    }

    @Test
    void aLongUpSync_storesACheckpointBeforeEveryPack_deletesThemAfter_andTheNextUpSyncListsNoIndexObjects() throws IOException {
        for (int i = 0; i < 3; i++) {
            writeRandom(a.home.resolve("tree/big/f" + i + ".bin"), 14 << 20, i);
        }
        CountingBlobStore counted = new CountingBlobStore(v.store());
        UpSync.Summary s = up(counted);
        assertThat(s.packs()).isGreaterThanOrEqualTo(3);
        List<Call> saves = counted.calls(c -> c.op() == Op.SAVE && (c.type() == BlobType.PACK || checkpoint(c)));
        List<Call> packs = calls(counted, Op.SAVE, BlobType.PACK);
        assertThat(packs).hasSize(s.packs());
        assertThat(saves).as("packs were stored before the scan ended: every pack, the last ones too, has its checkpoint")
                .hasSize(2 * s.packs());
        for (Call pack : packs) {
            assertThat(saves.subList(0, saves.indexOf(pack)).stream().filter(UpSyncRequestsTest::checkpoint).count())
                    .as("checkpoints stored before %s", pack).isGreaterThan(packs.indexOf(pack));
        }
        assertThat(counted.calls(c -> c.op() == Op.DELETE && checkpoint(c))).hasSize(s.packs());
        assertThat(a.opened().repo().checkpoints()).isEmpty();

        a.write("tree/d0/f0.txt", "small change\n");
        CountingBlobStore next = new CountingBlobStore(v.store());
        assertThat(up(next).packs()).isEqualTo(1);
        assertThat(calls(next, Op.LIST, BlobType.INDEX)).isEmpty();
        check();
    }

    @Test
    void aSmallUpSyncInterruptedAfterItsPackArrived_leavesAVaultCheckPasses_andTheNextOneCompletesIt() throws IOException {
        a.write("tree/d2/new.txt", "a new file\n");
        FaultInjectingBlobStore noIndex = new FaultInjectingBlobStore(v.store()).failSavesAfter(BlobType.INDEX, 0,
                StoreException.Kind.TRANSIENT);
        assertThatThrownBy(() -> up(noIndex)).isInstanceOfSatisfying(VaultException.class,
                e -> assertThat(e.kind()).isEqualTo(VaultException.Kind.STORAGE));
        CheckReport interrupted = check();
        assertThat(interrupted.commits()).as("nothing half-committed").isEqualTo(1);
        assertThat(interrupted.checkpoints()).as("a one-pack up-sync stores no checkpoint").isZero();
        assertThat(interrupted.unreferenced()).as("the pack that arrived").isEqualTo(1);

        CountingBlobStore counted = new CountingBlobStore(v.store());
        UpSync.Summary reRun = up(counted);
        assertThat(reRun.newFiles()).isEqualTo(1);
        assertThat(calls(counted, Op.LIST, BlobType.INDEX)).as("after an interruption the storage is asked for checkpoints")
                .hasSize(1);
        assertThat(calls(counted, Op.SAVE, BlobType.PACK)).as("its pack had no checkpoint: stored again").hasSize(1);
        CheckReport done = check();
        assertThat(done.commits()).isEqualTo(2);
        assertThat(done.unreferenced()).as("the orphan pack, for prune").isEqualTo(1);

        Prune.Result pruned = Prune.run(a.opened().repo(), a.opened().computer().config().computer(), List.of(TestVault.NS),
                Duration.ZERO, Clock.systemUTC());
        assertThat(pruned.deleted()).isEqualTo(1);
        assertThat(check().unreferenced()).isZero();
        a.close();
        TestVault.Computer b = v.computer("beta", "me").join();
        assertThat(b.down().failures()).isEmpty();
        assertThat(b.read("tree/d2/new.txt")).isEqualTo("a new file\n");
        b.close();
    }

    @Test
    void aCommitStoredByAnAttemptWhoseAnswerWasLost_isRecognizedByItsBytes_notRefused() throws IOException {
        AtomicBoolean lost = new AtomicBoolean();
        BlobStore losesAnswer = new ForwardingBlobStore(v.store()) {
            @Override
            public boolean saveIfAbsent(BlobName name, BlobSource source) throws StoreException {
                boolean stored = super.saveIfAbsent(name, source);
                if (name.type() == BlobType.SNAPSHOT && lost.compareAndSet(false, true)) {
                    throw StoreException.transientFailure("connection reset after the commit was stored", null);
                }
                return stored;
            }
        };
        a.write("tree/d0/f1.txt", "changed\n");
        UpSync.Summary s = up(new RetryingBlobStore(losesAnswer, new RetryPolicy(3, Duration.ZERO, Duration.ZERO), d -> { }));
        assertThat(lost).isTrue();
        assertThat(s.commit()).isNotNull();
        assertThat(check().commits()).isEqualTo(2);
    }

    @Test
    void anotherCommitUnderTheSameName_isRefused_andLeftAsItWas() throws IOException {
        Repository repo = a.opened().repo();
        Commit first = repo.logs(TestVault.NS).values().iterator().next().get(0).commit();
        Commit other = new Commit(first.seq(), first.prev(), first.computer(), first.computerName(), first.user(), first.time() + 1,
                first.namespace(), first.roots(), first.tree(), first.indexes(), first.stats());
        assertThatThrownBy(() -> repo.saveCommit(other)).isInstanceOfSatisfying(VaultException.class, e -> {
            assertThat(e.kind()).isEqualTo(VaultException.Kind.REFUSED);
            assertThat(e.getMessage()).contains("already exists");
        });
        assertThat(repo.logs(TestVault.NS).values().iterator().next().get(0).commit().time()).isEqualTo(first.time());
        check();
    }
}
