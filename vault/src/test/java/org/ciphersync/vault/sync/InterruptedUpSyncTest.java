package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.check.CheckReport;
import org.ciphersync.vault.check.VaultCheck;
import org.ciphersync.vault.format.ObjectNames;
import org.ciphersync.vault.prune.Prune;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.FaultInjectingBlobStore;
import org.ciphersync.vault.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An up-sync whose storage goes away after some packs arrived (docs/design.md (Vault) §5, §7): the
 * vault stays sound, the packs that arrived are kept by checkpoints (and by prune within the
 * grace period), and the re-run uploads only what had not arrived.
 */
class InterruptedUpSyncTest {
    /** Three incompressible 20 MiB files: four packs of the vault's 16 MiB pack size. */
    private static final int FILES = 3;
    private static final int FILE_SIZE = 20 << 20;
    private static final long DATA = (long) FILES * FILE_SIZE;
    /** What sealing (40 bytes and 16 per 64 KiB per blob, a flag) and the tree blobs add, with a wide margin. */
    private static final long SEAL_AND_TREE_SLACK = 256 << 10;

    @TempDir
    Path tmp;
    private TestVault v;
    private TestVault.Computer a;
    private TestVault.Computer b;

    /** alpha made the vault and has the files to up-sync; beta joined. */
    @BeforeEach
    void twoComputers() throws IOException {
        v = new TestVault(tmp);
        a = v.computer("alpha", "me").init();
        b = v.computer("beta", "me").join();
        writeRandomFiles(a);
        a.close();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private static void writeRandomFiles(TestVault.Computer c) throws IOException {
        Random rnd = new Random(7);
        Files.createDirectories(c.home.resolve("big"));
        for (int i = 0; i < FILES; i++) {
            byte[] data = new byte[FILE_SIZE];
            rnd.nextBytes(data);
            Files.write(c.home.resolve("big/f" + i + ".bin"), data);
        }
    }

    private static Map<String, Long> packs(TestVault v) throws StoreException {
        Map<String, Long> out = new TreeMap<>();
        for (BlobInfo i : v.store().listAll(BlobType.PACK)) {
            out.put(i.name().name(), i.size());
        }
        return out;
    }

    private static long sum(Map<String, Long> packs) {
        return packs.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Clock at(long millis) {
        return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    /** Up-syncs {@code big} through a store whose pack saves fail after {@code packs} succeeded; returns that store. */
    private static FaultInjectingBlobStore interruptedUp(TestVault v, TestVault.Computer c, int packs) {
        FaultInjectingBlobStore faulty = new FaultInjectingBlobStore(v.store()).failSavesAfter(BlobType.PACK, packs,
                StoreException.Kind.TRANSIENT);
        try (VaultSetup.Opened o = VaultSetup.open(faulty, Password.of(TestVault.PASSWORD), c.dirs, c.user, Clock.systemUTC())) {
            assertThatThrownBy(() -> UpSync.run(o.repo(), o.computer(), TestVault.NS, List.of(c.home.resolve("big")), Progress.NONE))
                    .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.kind()).isEqualTo(VaultException.Kind.STORAGE));
        }
        return faulty;
    }

    private static CheckReport check(TestVault.Computer c) {
        CheckReport r = VaultCheck.run(c.opened().repo(), List.of(TestVault.NS), "all");
        assertThat(r.errors()).isEmpty();
        return r;
    }

    @Test
    void upInterruptedAfterTwoPacks_reRunUploadsOnlyWhatHadNotArrived_andItsCommitRestoresIdentically() throws IOException {
        interruptedUp(v, a, 2);
        Map<String, Long> arrived = packs(v);
        assertThat(arrived).as("two packs arrived before the storage went away").hasSize(2);
        CheckReport interrupted = check(a);
        assertThat(interrupted.commits()).as("nothing half-committed").isZero();
        assertThat(interrupted.resumable()).as("both arrived packs are named by checkpoints").isEqualTo(2);
        assertThat(interrupted.checkpoints()).as("the third pack's checkpoint was written before its failed upload")
                .isGreaterThan(interrupted.resumable());
        assertThat(interrupted.unreferenced()).isGreaterThanOrEqualTo(2);

        // prune within the grace period keeps what the re-run needs
        Prune.Result pruned = Prune.run(a.opened().repo(), a.opened().computer().config().computer(), List.of(TestVault.NS),
                Duration.ofHours(1), Clock.systemUTC());
        assertThat(pruned.deleted()).isZero();
        assertThat(packs(v)).isEqualTo(arrived);

        UpSync.Summary reRun = a.up("big");
        assertThat(reRun.commit()).isNotNull();
        assertThat(reRun.newFiles()).isEqualTo(FILES);
        assertThat(reRun.uploadedBytes()).as("the re-run uploads the data minus the %d bytes of packs that had arrived", sum(arrived))
                .isLessThanOrEqualTo(DATA + SEAL_AND_TREE_SLACK - sum(arrived))
                .isGreaterThanOrEqualTo(DATA - sum(arrived));
        Map<String, Long> after = packs(v);
        assertThat(after).containsAllEntriesOf(arrived).hasSize(arrived.size() + reRun.packs());
        assertThat(sum(after)).as("no data stored twice").isLessThanOrEqualTo(DATA + SEAL_AND_TREE_SLACK);
        assertThat(a.opened().repo().checkpoints()).as("the commit made every checkpoint of alpha superfluous: deleted").isEmpty();
        CheckReport done = check(a);
        assertThat(done.unreferenced()).as("every pack, the arrived ones too, is named by the commit's index").isZero();
        assertThat(done.checkpoints()).isZero();

        assertThat(b.down().failures()).isEmpty();
        for (int i = 0; i < FILES; i++) {
            assertThat(Files.mismatch(a.home.resolve("big/f" + i + ".bin"), b.home.resolve("big/f" + i + ".bin"))).isEqualTo(-1);
        }
    }

    @Test
    void abandonedCheckpoint_keptWithinTheGracePeriod_thenPrunedBeforeItsPacks_andCheckPassesThroughout() throws IOException {
        interruptedUp(v, a, 1);
        Map<String, Long> arrived = packs(v);
        assertThat(arrived).hasSize(1);
        int checkpoints = a.opened().repo().checkpoints().size();
        ComputerId me = a.opened().computer().config().computer();
        ComputerId beta = b.opened().computer().config().computer();
        var repo = a.opened().repo();
        long t0 = System.currentTimeMillis();
        Duration grace = Duration.ofHours(1);

        Prune.Result first = Prune.run(repo, me, List.of(TestVault.NS), grace, at(t0));
        assertThat(first.deleted()).as("within the grace period").isZero();
        assertThat(first.candidates()).as("the checkpoints are candidates; their packs are not").isEqualTo(checkpoints);
        Prune.acknowledge(b.opened().repo(), beta, t0 + 1);
        check(a);

        Prune.Result second = Prune.run(repo, me, List.of(TestVault.NS), grace, at(t0 + Duration.ofHours(2).toMillis()));
        assertThat(second.deleted()).as("after the grace period the checkpoints go first").isEqualTo(checkpoints);
        assertThat(repo.checkpoints()).isEmpty();
        assertThat(packs(v)).as("their packs outlive them: an up-sync may have started from them").isEqualTo(arrived);
        CheckReport between = check(a);
        assertThat(between.resumable()).isZero();
        assertThat(between.unreferenced()).isEqualTo(arrived.size());

        Prune.Result third = Prune.run(repo, me, List.of(TestVault.NS), grace, at(t0 + Duration.ofHours(2).toMillis() + 1));
        assertThat(third.deleted()).as("the packs are unreferenced only from now on: a new grace period").isZero();
        Prune.acknowledge(b.opened().repo(), beta, t0 + Duration.ofHours(2).toMillis() + 2);
        Prune.Result fourth = Prune.run(repo, me, List.of(TestVault.NS), grace, at(t0 + Duration.ofHours(4).toMillis()));
        assertThat(fourth.deleted()).isEqualTo(arrived.size());
        assertThat(packs(v)).isEmpty();
        assertThat(check(a).unreferenced()).isZero();

        // nothing left to resume from: the next up-sync stores everything and the vault is whole
        UpSync.Summary reRun = a.up("big");
        assertThat(reRun.uploadedBytes()).isGreaterThanOrEqualTo(DATA);
        check(a);
        assertThat(b.down().failures()).isEmpty();
        assertThat(Files.mismatch(a.home.resolve("big/f0.bin"), b.home.resolve("big/f0.bin"))).isEqualTo(-1);
    }

    @Test
    void aCheckpointAlteredOnTheStorage_isReportedByCheck_andTheReRunUploadsItsPackAgain() throws IOException {
        interruptedUp(v, a, 1);
        Map<String, Long> arrived = packs(v);
        ObjectNames.CheckpointRef ckpt = a.opened().repo().checkpoints().stream()
                .filter(r -> {
                    var entries = a.opened().repo().loadCheckpoint(TestVault.NS, r);
                    return arrived.containsKey(entries.get(0).pack().name());
                }).findFirst().orElseThrow();
        Path file = v.vaultDir.resolve("index").resolve(ckpt.name().name());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);

        assertThat(VaultCheck.run(a.opened().repo(), List.of(TestVault.NS), null).errors())
                .anySatisfy(e -> assertThat(e).contains("checkpoint").contains("corrupt"));
        UpSync.Summary reRun = a.up("big");
        assertThat(reRun.commit()).isNotNull();
        assertThat(reRun.uploadedBytes()).as("the altered checkpoint is not trusted: its pack is uploaded again")
                .isGreaterThanOrEqualTo(DATA);
        assertThat(b.down().failures()).isEmpty();
        assertThat(Files.mismatch(a.home.resolve("big/f2.bin"), b.home.resolve("big/f2.bin"))).isEqualTo(-1);
    }

    @Test
    void checkpointsThatCannotBeDeletedAfterTheCommit_leaveASoundVault_andTheNextUpSyncDeletesThem() throws IOException {
        FaultInjectingBlobStore noDeletes = new FaultInjectingBlobStore(v.store()).failNext(FaultInjectingBlobStore.Op.DELETE,
                StoreException.Kind.TRANSIENT, 1000);
        try (VaultSetup.Opened o = VaultSetup.open(noDeletes, Password.of(TestVault.PASSWORD), a.dirs, a.user, Clock.systemUTC())) {
            UpSync.Summary s = UpSync.run(o.repo(), o.computer(), TestVault.NS, List.of(a.home.resolve("big")), Progress.NONE);
            assertThat(s.commit()).as("the commit stands; deleting checkpoints is only tidying").isNotNull();
        }
        assertThat(a.opened().repo().checkpoints()).isNotEmpty();
        CheckReport left = check(a);
        assertThat(left.checkpoints()).isPositive();
        assertThat(left.resumable()).as("their packs are committed").isZero();

        a.write("big/small.txt", "one more file");
        UpSync.Summary next = a.up("big");
        assertThat(next.commit()).isNotNull();
        assertThat(next.uploadedBytes()).as("only the new file and its trees").isLessThan(1 << 20);
        assertThat(a.opened().repo().checkpoints()).as("superseded checkpoints are deleted by the next up-sync").isEmpty();
        check(a);
    }
}
