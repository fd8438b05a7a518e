package org.ciphersync.session.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.session.client.SessionFixture.WAIT;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.inventory.Fingerprint;
import org.ciphersync.relay.server.RelayConfig;
import org.ciphersync.session.member.SourceEntry;
import org.ciphersync.session.wire.GroupMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, resilience: a member whose process dies in the middle of a transfer comes back and fetches only
 * what it had not received yet; a member that leaves (or dies for good) fails only the items that need it;
 * when the leader dies mid-transfer, the next session of the same machines fetches only the remainder.
 * Real relay and clients on loopback; a "killed" member is stopped without LEAVE, its threads frozen.
 */
class SessionResilienceIT {
    @TempDir
    Path tmp;

    /** Never released: a thread frozen in a "killed" member stays there (a daemon thread, gone with the JVM). */
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    /** Freezes the calling thread of a member for good, as a killed process; an interrupt (a clean leave) ends it. */
    private static void freeze() {
        try {
            NEVER.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("this member stopped");
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    /** Relative path → SHA-256 (hex) of every file under {@code root}, leaving out the engine's folder. */
    static Map<String, String> digests(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.isEmpty() || rel.startsWith(".ciphersync") || Files.isDirectory(p)) {
                    continue;
                }
                out.put(rel, HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    private static void awaitMembers(int n, SessionClient... cs) throws Exception {
        for (SessionClient x : cs) {
            x.await(v -> v.members().size() == n && v.members().stream().allMatch(m -> m.sources().size() == 1 && m.authenticated()), WAIT);
        }
    }

    /** Alpha (leader) and bravo on folders {@code a} and {@code b}, both listed and authenticated. */
    private static List<SessionClient> twoMembers(SessionFixture f, Path a, Path b) throws Exception {
        SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
        SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
        awaitMembers(2, ca, cb);
        return List.of(ca, cb);
    }

    /** Alpha (leader), bravo and charlie on folders {@code a}, {@code b}, {@code c}, all listed and authenticated. */
    private static List<SessionClient> threeMembers(SessionFixture f, Path a, Path b, Path c) throws Exception {
        SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
        SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
        SessionClient cc = f.join(ca, "charlie", SourceEntry.directory(c.toString()));
        awaitMembers(3, ca, cb, cc);
        return List.of(ca, cb, cc);
    }

    /** Freezes {@code machine} for good when it starts uploading a part whose id starts with {@code prefix}; counted down then. */
    private static CountDownLatch freezeOnUpload(SessionFixture f, String machine, String prefix) {
        CountDownLatch started = new CountDownLatch(1);
        f.links.get(machine).beforeUpload = id -> {
            if (id.startsWith(prefix)) {
                started.countDown();
                freeze();
            }
        };
        return started;
    }

    /** Content bytes of the chunks the partial file of {@code content} records as received. */
    private static long committedBytes(Path transfers, byte[] content) throws Exception {
        Fingerprint fp;
        Path tmpFile = Files.createTempFile(transfers.getParent(), "fp", ".bin");
        Files.write(tmpFile, content);
        try (FileChannel ch = FileChannel.open(tmpFile, StandardOpenOption.READ)) {
            fp = Fingerprinter.fingerprint(ch, ChunkerParams.SYNC);
        }
        Files.delete(tmpFile);
        Path have = org.ciphersync.session.transfer.PartialFile.recordPath(transfers, fp.fileHash());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(have));
        b.position(4 + 1 + 32 + 4);
        long sum = 0;
        while (b.hasRemaining()) {
            sum += fp.chunkLengths()[b.getInt()];
        }
        return sum;
    }

    @Test
    void aMemberKilledMidTransfer_rejoinsTheRun_andFetchesOnlyWhatItHadNotReceived() throws Exception {
        byte[] big = random(36 << 20, 7); // three parts of at most 16 MiB
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.write(a.resolve("big.bin"), big);
        Files.writeString(a.resolve("small.txt"), "small");
        Files.writeString(b.resolve("stale.txt"), "to be deleted");
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            List<SessionClient> ab = twoMembers(f, a, b);
            SessionClient ca = ab.get(0);
            SessionClient cb = ab.get(1);
            CountDownLatch stalled = new CountDownLatch(1);
            AtomicInteger fileParts = new AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<Thread> firstFetcher = new java.util.concurrent.atomic.AtomicReference<>();
            f.links.get("bravo").download = (id, data) -> {
                if (id.startsWith("p") && data.length > 1 << 20) {
                    if (fileParts.incrementAndGet() == 1) {
                        firstFetcher.set(Thread.currentThread());
                        return data; // the first 16 MiB part is received and recorded
                    }
                    // parts fetched at the same time never get further; the process dies once the thread that
                    // wrote the first part comes back for another one (the first part is recorded by then)
                    if (Thread.currentThread() == firstFetcher.get()) {
                        stalled.countDown();
                    }
                    freeze();
                }
                return data;
            };
            ca.startInventory();
            ca.await(v -> ca.comparison().isPresent(), WAIT);
            ca.startSynchronization(Preset.MIRROR);
            assertThat(stalled.await(60, TimeUnit.SECONDS)).as("bravo got its first part").isTrue();
            cb.haltForTest();
            Path transfers = tmp.resolve("fixture").resolve("profiles").resolve("bravo").resolve("transfers");
            long committed = committedBytes(transfers, big);
            assertThat(committed).as("bytes bravo had received and verified when it died").isPositive().isLessThan(big.length);
            assertThat(b.resolve("big.bin")).as("nothing was applied before the crash").doesNotExist();

            int eventsBefore = f.events.get("bravo").size();
            SessionClient cb2 = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            cb2.await(v -> cb2.syncComplete(), WAIT.multipliedBy(6));
            ca.await(v -> ca.syncComplete(), WAIT.multipliedBy(3));

            List<SessionEvent> all = List.copyOf(f.events.get("bravo"));
            List<SessionEvent> after = all.subList(eventsBefore, all.size());
            assertThat(after).anyMatch(e -> e instanceof SessionEvent.RunTakenOver t && t.oldMember() == cb.memberId());
            SessionEvent.ItemReceived got = after.stream().filter(e -> e instanceof SessionEvent.ItemReceived r && r.path().equals("big.bin"))
                    .map(SessionEvent.ItemReceived.class::cast).findFirst().orElseThrow();
            assertThat(got.reused()).as("bytes taken back from the partial file").isEqualTo(committed);
            assertThat(got.fetched()).as("bytes fetched again after the restart: only the remainder").isEqualTo(big.length - committed);
            long uploadedForNew = f.tap.uploads().stream().filter(u -> u.startsWith("p") && u.endsWith("[" + cb2.memberId() + "]"))
                    .mapToLong(u -> Long.parseLong(u.split(" ")[1])).sum();
            assertThat(uploadedForNew).as("part bytes the relay carried to the restarted member")
                    .isGreaterThanOrEqualTo(big.length - committed).isLessThan(big.length - committed + (64 << 10));

            assertThat(cb2.syncProblem()).isNull();
            assertThat(cb2.syncFailures()).isEmpty();
            assertThat(ca.syncResults()).as("the leader counts the restarted member's result, not the dead one's")
                    .extracting(MemberSyncResult::memberId).containsExactlyInAnyOrder(ca.memberId(), cb2.memberId());
            assertThat(ca.syncResults()).allSatisfy(r -> assertThat(r.failed()).isZero());
            assertThat(digests(b)).isEqualTo(digests(a));
            try (java.util.stream.Stream<Path> left = Files.walk(transfers)) {
                assertThat(left.filter(p -> p.toString().endsWith(".part"))).as("partial files are removed once in place").isEmpty();
            }
        }
    }

    @Test
    void aLeaderKilledMidTransfer_endsTheRunWithNothingApplied_andTheNextSessionFetchesOnlyWhatWasNotReceived() throws Exception {
        byte[] big = random(36 << 20, 11); // three parts of at most 16 MiB
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.write(a.resolve("big.bin"), big);
        Files.writeString(b.resolve("stale.txt"), "to be deleted");
        Path transfers = tmp.resolve("fixture").resolve("profiles").resolve("bravo").resolve("transfers");
        RelayConfig.Builder shortGrace = RelayConfig.builder(tmp.resolve("fixture").resolve("relay")).gracePeriod(Duration.ofSeconds(2));
        long committed;
        try (SessionFixture f = new SessionFixture(tmp.resolve("fixture"), shortGrace)) {
            List<SessionClient> ab = twoMembers(f, a, b);
            SessionClient ca = ab.get(0);
            SessionClient cb = ab.get(1);
            // the leader dies while uploading its second part: bravo receives and records the first one only
            AtomicInteger uploads = new AtomicInteger();
            CountDownLatch dying = new CountDownLatch(1);
            f.links.get("alpha").beforeUpload = id -> {
                if (id.startsWith("p") && uploads.incrementAndGet() == 2) {
                    dying.countDown();
                    freeze();
                }
            };
            ca.startInventory();
            ca.await(v -> ca.comparison().isPresent(), WAIT);
            ca.startSynchronization(Preset.MIRROR);
            assertThat(dying.await(60, TimeUnit.SECONDS)).as("the leader started its second part").isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(transfers) || Files.walk(transfers).noneMatch(x -> x.toString().endsWith(".have"))
                    || committedBytes(transfers, big) == 0) {
                assertThat(System.nanoTime()).as("bravo recorded the first part").isLessThan(deadline);
                Thread.sleep(50);
            }
            ca.haltForTest();

            cb.await(v -> cb.syncComplete() || !cb.active(), WAIT.multipliedBy(6));
            assertThat(cb.syncFailures()).as("bravo's failed item says why").singleElement().satisfies(i -> {
                assertThat(i.path()).isEqualTo("big.bin");
                assertThat(i.reason()).contains("member A").contains("lost its connection");
            });
            committed = committedBytes(transfers, big);
            assertThat(committed).as("bytes bravo received and verified before the leader died").isPositive().isLessThan(big.length);
            assertThat(b.resolve("big.bin")).as("nothing half-received is applied").doesNotExist();
        }

        // A new session of the same machines (same profiles), here on a new relay: only the remainder travels.
        try (SessionFixture f = new SessionFixture(tmp.resolve("fixture"), RelayConfig.builder(tmp.resolve("relay2")))) {
            List<SessionClient> ab = twoMembers(f, a, b);
            SessionClient ca = ab.get(0);
            SessionClient cb = ab.get(1);
            ca.startInventory();
            ca.await(v -> ca.comparison().isPresent(), WAIT);
            ca.startSynchronization(Preset.MIRROR);
            cb.await(v -> cb.syncComplete(), WAIT.multipliedBy(6));
            ca.await(v -> ca.syncComplete(), WAIT.multipliedBy(3));
            SessionEvent.ItemReceived got = f.events.get("bravo").stream()
                    .filter(e -> e instanceof SessionEvent.ItemReceived r && r.path().equals("big.bin"))
                    .map(SessionEvent.ItemReceived.class::cast).findFirst().orElseThrow();
            assertThat(got.reused()).as("bytes taken back from the interrupted session's partial file").isEqualTo(committed);
            assertThat(got.fetched()).as("bytes fetched in the new session").isEqualTo(big.length - committed);
            assertThat(ca.syncResults()).allSatisfy(r -> assertThat(r.failed()).isZero());
            assertThat(digests(b)).isEqualTo(digests(a));
        }
    }

    /** A two-way run on A, B, C where B stops (as {@code stop} does) as soon as it starts sending its big file. */
    private void memberStopsWhileSending(SessionFixture f, java.util.function.Consumer<SessionClient> stop, String expectedReason)
            throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Path c = Files.createDirectories(tmp.resolve("c"));
        Files.writeString(a.resolve("from-a.txt"), "made on A");
        Files.write(b.resolve("from-b.bin"), random(4 << 20, 3));
        Files.writeString(b.resolve("from-b-small.txt"), "made on B");
        Files.writeString(c.resolve("from-c.txt"), "made on C");
        List<SessionClient> abc = threeMembers(f, a, b, c);
        SessionClient ca = abc.get(0);
        SessionClient cb = abc.get(1);
        SessionClient cc = abc.get(2);
        CountDownLatch sending = freezeOnUpload(f, "bravo", "p");
        ca.startInventory();
        ca.await(v -> ca.comparison().isPresent(), WAIT);
        ca.startSynchronization(Preset.TWO_WAY);
        assertThat(sending.await(60, TimeUnit.SECONDS)).as("bravo started sending").isTrue();
        stop.accept(cb);

        for (SessionClient x : List.of(ca, cc)) {
            x.await(v -> x.syncComplete(), WAIT.multipliedBy(3));
        }
        assertThat(a.resolve("from-c.txt")).as("results " + ca.syncResults() + ", alerts " + ca.alerts() + ", events " + f.events.get("alpha"))
                .exists();
        assertThat(Files.readString(a.resolve("from-c.txt"))).isEqualTo("made on C");
        assertThat(Files.readString(c.resolve("from-a.txt"))).isEqualTo("made on A");
        assertThat(a.resolve("from-b.bin")).doesNotExist();
        assertThat(c.resolve("from-b.bin")).doesNotExist();
        for (SessionClient x : List.of(ca, cc)) {
            List<GroupMessage.ItemFailure> failed = x.syncFailures();
            assertThat(failed).as("failures on " + x).extracting(GroupMessage.ItemFailure::path).contains("from-b.bin");
            assertThat(failed).extracting(GroupMessage.ItemFailure::path).doesNotContain("from-a.txt", "from-c.txt");
            assertThat(failed).filteredOn(i -> i.path().equals("from-b.bin")).allSatisfy(i ->
                    assertThat(i.reason()).contains("member B").contains(expectedReason));
        }
        MemberSyncResult gone = ca.syncResults().stream().filter(r -> r.memberId() == cb.memberId()).findFirst().orElseThrow();
        assertThat(gone.departed()).contains("member B").contains(expectedReason);
        assertThat(gone.failed()).as("the items that target B count as failed").isPositive();
        assertThat(ca.syncResults().stream().mapToInt(MemberSyncResult::failed).sum()).isPositive();
    }

    @Test
    void aMemberThatLeavesMidRun_failsOnlyTheItemsThatNeedIt_andTheOthersFinish() throws Exception {
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            memberStopsWhileSending(f, cb -> {
                try {
                    cb.leave(true);
                } catch (org.ciphersync.session.SessionException e) {
                    throw new AssertionError(e);
                }
            }, "left the session");
        }
    }

    @Test
    void aMemberKilledForGood_failsOnlyTheItemsThatNeedIt_onceTheRelayGivesUpItsPlace() throws Exception {
        RelayConfig.Builder shortGrace = RelayConfig.builder(tmp.resolve("fixture").resolve("relay")).gracePeriod(Duration.ofSeconds(2));
        try (SessionFixture f = new SessionFixture(tmp.resolve("fixture"), shortGrace)) {
            memberStopsWhileSending(f, SessionClient::haltForTest, "lost its connection");
        }
    }

    @Test
    void aMemberThatLeavesDuringTheInventory_isNotAwaited_theOthersCompareWithoutIt() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Path c = Files.createDirectories(tmp.resolve("c"));
        Files.writeString(a.resolve("a.txt"), "A");
        Files.writeString(b.resolve("b.txt"), "B");
        Files.writeString(c.resolve("c.txt"), "C");
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            List<SessionClient> abc = threeMembers(f, a, b, c);
            SessionClient ca = abc.get(0);
            SessionClient cb = abc.get(1);
            SessionClient cc = abc.get(2);
            CountDownLatch sharing = freezeOnUpload(f, "charlie", "inv-");
            ca.startInventory();
            assertThat(sharing.await(60, TimeUnit.SECONDS)).isTrue();
            cc.leave(true);
            for (SessionClient x : List.of(ca, cb)) {
                x.await(v -> x.comparison().isPresent() || x.inventoryProblem() != null, WAIT);
                assertThat(x.inventoryProblem()).isNull();
                assertThat(x.comparison().orElseThrow().nodeIds()).containsExactly("A1", "B1");
            }
        }
    }
}
