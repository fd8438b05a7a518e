package org.ciphersync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A storage server that disappears in the middle of an up-sync: the up-sync (a separate JVM, the
 * packaged command line) fails within bounded time with exit code 6 and a message naming the
 * storage; the vault stays consistent; after the server returns a re-run completes without uploading
 * again the packs that had arrived (their checkpoints were stored before them), and the second
 * computer restores the same bytes.
 *
 * <p>Run on SFTP and S3 (the servers the retry policy meets most; each run waits out the whole
 * back-off of about half a minute). rclone's backend starts its own server per command, so there is
 * nothing to kill; WebDAV behaves as the backend tests show but would add another half minute.
 */
class ServerKilledDuringUpIT {
    /** Six incompressible 16 MiB files: six packs of the vault's 16 MiB pack size. */
    private static final int FILES = 6;
    private static final int FILE_SIZE = 16 * 1024 * 1024;
    /** Generous bound for what sealing (52 bytes and a flag per blob) and the tree blobs add to the data. */
    private static final long SEAL_AND_TREE_SLACK = 1024 * 1024;
    /** The default retry policy gives up after ≈32 s of back-off (8 attempts, 250 ms doubling, ±20 %). */
    private static final Duration GIVE_UP_WITHIN = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    /** What one kill-and-resume run measured. */
    record Resume(Map<String, Long> arrivedBeforeKill, Map<String, Long> packsAfterReRun, long reRunUploadedBytes,
                  int reRunPacks, Duration failedAfterKill) {
        long arrivedBytes() {
            return arrivedBeforeKill.values().stream().mapToLong(Long::longValue).sum();
        }

        long totalPackBytes() {
            return packsAfterReRun.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Backend.class, names = {"SFTP", "S3"})
    void serverKilledMidUp_failsWithExit6NamingTheStorage_andAReRunAfterItReturnsCompletes(Backend backend) throws Exception {
        Resume r = killDuringUpAndResume(backend);
        System.out.printf("%s: %d packs (%d bytes) had arrived when the server was killed; up failed %d ms after the kill; "
                        + "the re-run uploaded %d bytes in %d packs; the vault holds %d packs (%d bytes)%n",
                backend, r.arrivedBeforeKill().size(), r.arrivedBytes(), r.failedAfterKill().toMillis(), r.reRunUploadedBytes(),
                r.reRunPacks(), r.packsAfterReRun().size(), r.totalPackBytes());
        assertThat(r.packsAfterReRun()).as("packs that arrived before the kill are kept as they were")
                .containsAllEntriesOf(r.arrivedBeforeKill());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Backend.class, names = {"SFTP", "S3"})
    void reRunAfterServerKill_doesNotUploadAgainWhatHadArrived(Backend backend) throws Exception {
        Resume r = killDuringUpAndResume(backend);
        long data = (long) FILES * FILE_SIZE;
        assertThat(r.reRunUploadedBytes()).as("bytes uploaded by the re-run: at most the data (%d) plus seals and trees, "
                + "minus the %d bytes of packs that had arrived before the kill", data, r.arrivedBytes())
                .isLessThanOrEqualTo(data + SEAL_AND_TREE_SLACK - r.arrivedBytes());
        assertThat(r.totalPackBytes()).as("bytes of all packs in the vault: no data stored twice")
                .isLessThanOrEqualTo(data + SEAL_AND_TREE_SLACK);
    }

    private Resume killDuringUpAndResume(Backend backend) throws Exception {
        try (StorageServer server = backend.start(Files.createDirectories(tmp.resolve("server")))) {
            Path pw = Files.writeString(tmp.resolve("password.txt"), "correct horse battery staple\n");
            Computer one = new Computer(tmp, "alpha", pw, server);
            Computer two = new Computer(tmp, "beta", pw, server);
            String location = server.location("vault");
            Computer.Result init = one.run("init", location, "--name", "alpha", "--kdf-floor");
            assertThat(init.exit()).as(init.toString()).isZero();
            Path tree = one.home.resolve("large");
            Trees.writeLarge(tree, FILES, FILE_SIZE);
            Map<String, Long> before = server.packs();

            Process up = one.start("up", tree.toString(), "--json");
            waitForFirstPack(server, before, up);
            long killedAt = System.nanoTime();
            server.kill();
            Map<String, Long> arrived = new TreeMap<>(server.packs()); // what is on the server's disk once it is gone
            arrived.keySet().removeAll(before.keySet());

            if (!up.waitFor(GIVE_UP_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                up.destroyForcibly();
                fail("vault up was still running " + GIVE_UP_WITHIN + " after the server was killed: retries must give up");
            }
            Duration failedAfter = Duration.ofNanos(System.nanoTime() - killedAt);
            Computer.Result failed = one.result(up, "up");
            String lastLine = failed.err().strip().lines().reduce((a, b) -> b).orElse("");
            System.out.println(backend + ": vault up after the kill said: " + lastLine);
            assertThat(failed.exit()).as("exit code for unreachable storage; %s", failed).isEqualTo(6);
            Matcher address = Pattern.compile("127\\.0\\.0\\.1:\\d+")
                    .matcher(server.location("vault") + " " + server.options());
            assertThat(address.find()).as("the server's address is in its location or settings").isTrue();
            assertThat(lastLine).as("the message the person sees last; %s", failed).startsWith("ciphersync: ")
                    .contains(address.group()).contains("try again");
            assertThat(failed.err()).as(failed.toString()).doesNotContain("Exception in thread").doesNotContain("internal error");

            server.restart();
            Computer.Result checkAfterFailure = one.run("check", "--json");
            assertThat(checkAfterFailure.exit()).as("the interrupted up-sync leaves a consistent vault: %s", checkAfterFailure).isZero();
            JsonNode checked = checkAfterFailure.last("summary");
            assertThat(checked.path("commits").asInt()).as("nothing half-committed").isZero();
            assertThat(checked.path("unreferenced").asInt()).as("the packs that arrived are known as unreferenced")
                    .isGreaterThanOrEqualTo(arrived.size());
            assertThat(checked.path("resumable").asInt()).as("every pack that arrived is named by a checkpoint stored before it")
                    .isEqualTo(arrived.size());

            Computer.Result reRun = one.run("up", tree.toString(), "--json");
            assertThat(reRun.exit()).as(reRun.toString()).isZero();
            JsonNode summary = reRun.last("summary");
            assertThat(summary.path("new").asInt()).as("every file is new to the vault: no commit was made").isEqualTo(FILES);

            Computer.Result join = two.run("join", location, "--name", "beta");
            assertThat(join.exit()).as(join.toString()).isZero();
            Computer.Result down = two.run("down", "--json");
            assertThat(down.exit()).as(down.toString()).isZero();
            Trees.assertIdentical(tree, two.home.resolve("large"));
            Computer.Result check = two.run("check", "--read-data");
            assertThat(check.exit()).as(check.toString()).isZero();

            Map<String, Long> after = new TreeMap<>(server.packs());
            after.keySet().removeAll(before.keySet());
            return new Resume(arrived, after, summary.path("uploadedBytes").asLong(), summary.path("packs").asInt(), failedAfter);
        }
    }

    /** Polls the server's folder until a new pack is there; fails if the up-sync ends first. */
    private static void waitForFirstPack(StorageServer server, Map<String, Long> before, Process up)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Long> now = new TreeMap<>(server.packs());
            now.keySet().removeAll(before.keySet());
            if (!now.isEmpty()) {
                return;
            }
            if (!up.isAlive()) {
                fail("vault up ended (exit " + up.exitValue() + ") before any pack arrived on " + server.name());
            }
            Thread.sleep(10);
        }
        up.destroyForcibly();
        fail("no pack arrived on " + server.name() + " within 60 s; server log:\n" + server.log());
    }
}
