package org.ciphersync.session.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.session.client.SessionFixture.WAIT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ciphersync.relay.server.RelayConfig;
import org.ciphersync.session.member.SourceEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One large file through the relay: its parts are fetched while the source still uploads the later ones
 * (UPLOADED), so it passes through a session quota smaller than itself, and it is moved into place
 * without a second copy; a part tampered with in the middle fails only that file. Real relay and clients
 * on loopback.
 */
class SessionLargeFileIT {
    @TempDir
    Path tmp;

    /** Four file parts: 16 + 16 + 16 MiB and the rest. */
    private static final int BIG = (48 << 20) + (3 << 20);

    private Path folder(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    /** Folders {@code a} (the source, with big.bin of random bytes) and {@code b} (the target, empty). */
    private record Trees(byte[] big, Path a, Path b) {
    }

    private Trees trees(long seed) throws Exception {
        Trees t = new Trees(SessionInventoryIT.random(BIG, seed), folder("a"), folder("b"));
        Files.write(t.a().resolve("big.bin"), t.big());
        return t;
    }

    private static SessionClient[] pair(SessionFixture f, Path a, Path b) throws Exception {
        SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
        SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
        for (SessionClient x : List.of(ca, cb)) {
            x.await(v -> v.members().size() == 2 && v.members().stream().allMatch(m -> m.sources().size() == 1 && m.authenticated()), WAIT);
        }
        return new SessionClient[] {ca, cb};
    }

    private static void sync(SessionClient ca, SessionClient cb) throws Exception {
        ca.startInventory();
        ca.await(v -> ca.comparison().isPresent(), WAIT);
        ca.startSynchronization(Preset.MIRROR);
        for (SessionClient x : List.of(ca, cb)) {
            x.await(v -> x.syncComplete(), WAIT.multipliedBy(6));
        }
    }

    private static Path transfers(SessionFixture f, String machine) {
        return f.dir.resolve("profiles").resolve(machine).resolve("transfers");
    }

    @Test
    void aLargeFile_isFetchedWhileItsSourceStillUploads_andArrivesIntact_movedIntoPlace() throws Exception {
        Trees t = trees(11);
        byte[] big = t.big();
        Path a = t.a();
        Path b = t.b();
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient[] m = pair(f, a, b);
            CountDownLatch firstFetched = new CountDownLatch(1);
            f.links.get("bravo").download = (id, data) -> {
                if (id.startsWith("p")) {
                    firstFetched.countDown();
                }
                return data;
            };
            // the source's last part waits until the target has fetched a part: that happens only if the
            // target learns of parts before the file's PARTS (which follows the last upload)
            AtomicInteger uploads = new AtomicInteger();
            AtomicBoolean fetchedBeforeLastUpload = new AtomicBoolean();
            f.links.get("alpha").beforeUpload = id -> {
                if (id.startsWith("p") && uploads.incrementAndGet() == 4) {
                    try {
                        fetchedBeforeLastUpload.set(firstFetched.await(30, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };

            sync(m[0], m[1]);

            assertThat(uploads).as("file parts uploaded").hasValue(4);
            assertThat(fetchedBeforeLastUpload).as("the target fetched a part while the source still uploaded").isTrue();
            assertThat(m[1].syncFailures()).isEmpty();
            assertThat(Files.readAllBytes(b.resolve("big.bin"))).isEqualTo(big);
            assertThat(Files.getLastModifiedTime(b.resolve("big.bin"))).isEqualTo(Files.getLastModifiedTime(a.resolve("big.bin")));
            SessionEvent.ItemReceived got = f.events.get("bravo").stream()
                    .filter(e -> e instanceof SessionEvent.ItemReceived r && r.path().equals("big.bin"))
                    .map(SessionEvent.ItemReceived.class::cast).findFirst().orElseThrow();
            assertThat(got.fetched()).isEqualTo(BIG);
            try (java.util.stream.Stream<Path> left = Files.walk(transfers(f, "bravo"))) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .as("the partial file became the target file: no copy, no state left").noneMatch(n -> n.endsWith(".part") || n.endsWith(".have"));
            }
        }
    }

    @Test
    void aLargeFile_passesThroughASessionQuotaSmallerThanItself() throws Exception {
        Trees t = trees(12);
        byte[] big = t.big();
        Path a = t.a();
        Path b = t.b();
        // room for two parts at a time: the source waits (HTTP 507) until the target fetched earlier ones
        RelayConfig.Builder config = RelayConfig.builder(tmp.resolve("fixture").resolve("relay")).sessionQuotaBytes(34L << 20);
        try (SessionFixture f = new SessionFixture(tmp.resolve("fixture"), config)) {
            SessionClient[] m = pair(f, a, b);
            sync(m[0], m[1]);
            assertThat(m[1].syncFailures()).isEmpty();
            assertThat(m[0].syncResults()).allSatisfy(r -> assertThat(r.failed()).isZero());
            assertThat(Files.readAllBytes(b.resolve("big.bin"))).isEqualTo(big);
        }
    }

    @Test
    void aDownloadThatBreaksOff_isTriedAgain_andTheFileArrives() throws Exception {
        Trees t = trees(15);
        byte[] big = t.big();
        Path a = t.a();
        Path b = t.b();
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient[] m = pair(f, a, b);
            java.util.Set<String> broken = java.util.concurrent.ConcurrentHashMap.newKeySet();
            f.links.get("bravo").breakDownload = id -> id.startsWith("p") && broken.add(id); // every part's first try
            sync(m[0], m[1]);
            assertThat(broken).as("file parts whose first download broke off").hasSize(4);
            assertThat(m[1].syncFailures()).isEmpty();
            assertThat(Files.readAllBytes(b.resolve("big.bin"))).isEqualTo(big);
        }
    }

    @Test
    void aPartTamperedWithInTheMiddleOfALargeFile_failsOnlyThatFile_andLeavesItsTargetUntouched() throws Exception {
        byte[] big = SessionInventoryIT.random(BIG, 13);
        byte[] old = SessionInventoryIT.random(1 << 20, 14);
        Path a = folder("a");
        Path b = folder("b");
        Files.write(a.resolve("big.bin"), big);
        Files.writeString(a.resolve("zz-small.txt"), "small"); // packed after big.bin: into its last part
        Files.write(b.resolve("big.bin"), old);
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient[] m = pair(f, a, b);
            AtomicInteger fileParts = new AtomicInteger();
            String[] tampered = new String[1];
            f.links.get("bravo").download = (id, data) -> {
                if (id.startsWith("p") && data.length > 1 << 20 && fileParts.incrementAndGet() == 2) {
                    tampered[0] = id;
                    data[data.length / 2] ^= 1; // a part in the middle of big.bin, in the middle of a segment
                }
                return data;
            };

            sync(m[0], m[1]);

            assertThat(tampered[0]).isNotNull();
            assertThat(m[1].alerts()).anyMatch(t -> t.contains("refused part " + tampered[0]) && t.contains("does not authenticate"));
            assertThat(m[1].syncFailures()).extracting(x -> x.path()).containsExactly("big.bin");
            assertThat(m[1].syncFailures()).allSatisfy(x -> assertThat(x.reason()).contains("not received intact"));
            assertThat(Files.readAllBytes(b.resolve("big.bin"))).as("the target file is untouched").isEqualTo(old);
            assertThat(Files.readString(b.resolve("zz-small.txt"))).as("the other file of the run arrived").isEqualTo("small");
        }
    }
}
