package org.ciphersync.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.ciphersync.cli.CliProcess;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.inventory.Fingerprint;
import org.ciphersync.relay.server.RelayConfig;
import org.ciphersync.relay.server.RelayServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions as separate {@code ciphersync} processes on a loopback relay, when a member's process is
 * killed ({@code kill -9}) during the Data Synchronization, and with a rules file.
 */
class SessionResilienceCommandIT {
    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();
    private RelayServer relay;

    @AfterEach
    void stopEverything() {
        processes.forEach(Process::destroyForcibly);
        if (relay != null) {
            relay.close();
        }
    }

    private CliProcess cli(String... args) throws Exception {
        return new CliProcess(tmp, processes, args);
    }

    private String startRelay(Duration grace) {
        relay = new RelayServer(RelayConfig.builder(tmp.resolve("relay")).bindAddress("127.0.0.1").port(0).gracePeriod(grace).build()).start();
        return "ws://127.0.0.1:" + relay.port() + "/ws";
    }

    private CliProcess join(JsonNode session, String relayUrl, String machine, Path source) throws Exception {
        CliProcess j = cli("session", "join", session.get("sessionId").asText(), "--relay", relayUrl, "--password-file", "/dev/stdin",
                "--json", "--profile", tmp.resolve(machine).toString(), "--machine", machine, "--source", source.toString());
        j.type(session.get("password").asText());
        return j;
    }

    /** Part bytes the relay served to recipients so far (its Prometheus counter). */
    private long relayBytesDownloaded() throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String l : text.split("\n")) {
            if (l.startsWith("relay_part_bytes_downloaded_total ")) {
                return (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("no download counter in the relay's metrics:\n" + text);
    }

    private static void write(Path file, int size, long seed) throws Exception {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, b);
    }

    /** Bytes of {@code file}'s chunks recorded as received in the partial files of {@code transfers}. */
    private static long committedBytes(Path transfers, Path file) throws Exception {
        Fingerprint fp;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            fp = Fingerprinter.fingerprint(ch, ChunkerParams.SYNC);
        }
        Path have = org.ciphersync.session.transfer.PartialFile.recordPath(transfers, fp.fileHash());
        if (!Files.exists(have)) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(have));
        b.position(4 + 1 + 32 + 4);
        boolean[] seen = new boolean[fp.chunkCount()];
        long sum = 0;
        while (b.remaining() >= 4) {
            int i = b.getInt();
            if (!seen[i]) {
                seen[i] = true;
                sum += fp.chunkLengths()[i];
            }
        }
        return sum;
    }

    private static Map<String, String> digests(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String rel = root.relativize(p).toString();
                if (!rel.isEmpty() && !rel.startsWith(".ciphersync") && Files.isRegularFile(p)) {
                    out.put(rel, HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                }
            }
        }
        return out;
    }

    @Test
    void aJoinerKilledMidTransfer_joinsAgainWithTheSameCommand_andFetchesOnlyWhatItHadNotReceived() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Path f = a.resolve(String.format("a%02d.bin", i));
            write(f, 2 << 20, i);
            files.add(f);
        }
        Path big = a.resolve("zz-big.bin");
        write(big, 36 << 20, 99);
        files.add(big);
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        String relayUrl = startRelay(Duration.ofSeconds(60));
        CliProcess leader = cli("session", "start", "--relay", relayUrl, "--json", "--machine", "alpha", "--profile",
                tmp.resolve("alpha").toString(), "--source", a.toString(), "--members", "2", "--preset", "mirror", "--sync", "--wait", "240");
        JsonNode session = leader.awaitEvent("session", n -> true);

        CliProcess first = join(session, relayUrl, "bravo", b);
        for (int i = 0; i < 4; i++) {
            first.awaitEvent("received", n -> true, 120);
        }
        first.process.destroyForcibly(); // kill -9 in the middle of the transfer
        assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path transfers = tmp.resolve("bravo").resolve("transfers");
        long committed = 0;
        for (Path f : files) {
            committed += committedBytes(transfers, f);
        }
        assertThat(committed).as("bytes received and verified before the kill").isPositive().isLessThan(total);
        assertThat(digests(b)).as("nothing was applied before the kill").isEmpty();
        long downloadedBefore = relayBytesDownloaded();

        CliProcess again = join(session, relayUrl, "bravo", b);
        again.awaitEvent("runTakenOver", n -> true, 120);
        JsonNode done = leader.awaitEvent("synchronized", n -> n.has("failed"), 240);
        assertThat(done.get("failed").asInt()).as(leader.seen.toString()).isZero();
        assertThat(leader.exit()).isZero();
        again.awaitEvent("ended", n -> true);
        assertThat(again.exit()).isZero();

        long fetched = 0;
        long reused = 0;
        for (JsonNode e : again.drainEvents()) {
            if (e.path("event").asText().equals("received")) {
                fetched += e.get("fetched").asLong();
                reused += e.get("reused").asLong();
            }
        }
        assertThat(reused).as("bytes taken back from the partial files").isEqualTo(committed);
        assertThat(fetched).as("bytes fetched after the restart: only the remainder").isEqualTo(total - committed);
        long downloadedAfter = relayBytesDownloaded() - downloadedBefore;
        assertThat(downloadedAfter).as("part bytes the relay served after the restart")
                .isGreaterThanOrEqualTo(total - committed).isLessThan(total - committed + (1 << 20));
        assertThat(digests(b)).isEqualTo(digests(a));
    }

    @Test
    void aJoinerKilledForGood_failsOnlyTheItemsThatNeedIt_andTheLeaderExitsOneWithTheReasons() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Path c = Files.createDirectories(tmp.resolve("c"));
        Files.writeString(a.resolve("from-a.txt"), "made on A");
        write(b.resolve("from-b.bin"), 48 << 20, 5);
        Files.writeString(c.resolve("from-c.txt"), "made on C");
        String relayUrl = startRelay(Duration.ofSeconds(2));
        CliProcess leader = cli("session", "start", "--relay", relayUrl, "--json", "--machine", "alpha", "--profile",
                tmp.resolve("alpha").toString(), "--source", a.toString(), "--members", "3", "--preset", "two-way", "--sync", "--wait", "120");
        JsonNode session = leader.awaitEvent("session", n -> true);
        CliProcess cb = join(session, relayUrl, "bravo", b);
        cb.awaitEvent("joined", n -> true); // bravo is B
        CliProcess cc = join(session, relayUrl, "charlie", c);
        cb.awaitEvent("order", n -> n.get("kind").asText().equals("START_SYNCHRONIZATION"), 120);
        cb.process.destroyForcibly();

        JsonNode done = leader.awaitEvent("synchronized", n -> n.has("failed"), 120);
        assertThat(leader.exit()).as("partial: some items failed").isEqualTo(1);
        assertThat(done.get("failed").asInt()).isPositive();
        List<String> reasons = new ArrayList<>();
        String departed = null;
        for (JsonNode m : done.get("members")) {
            for (JsonNode f : m.get("failures")) {
                assertThat(f.get("path").asText()).as("only what B sends fails on the others").isEqualTo("from-b.bin");
                reasons.add(f.get("reason").asText());
            }
            if (m.has("departed")) {
                departed = m.get("departed").asText();
            }
        }
        assertThat(reasons).isNotEmpty().allSatisfy(r -> assertThat(r).contains("member B").contains("lost its connection"));
        assertThat(departed).contains("member B").contains("did not run");
        assertThat(cc.exit()).as("charlie's own item from B failed").isEqualTo(1);
        assertThat(Files.readString(a.resolve("from-c.txt"))).isEqualTo("made on C");
        assertThat(Files.readString(c.resolve("from-a.txt"))).isEqualTo("made on A");
        assertThat(a.resolve("from-b.bin")).doesNotExist();
        assertThat(c.resolve("from-b.bin")).doesNotExist();
    }

    @Test
    void aRulesFile_drivesTheSessionPlan_withItsTargetedAction() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.createDirectories(a.resolve("keep"));
        Files.writeString(a.resolve("keep/only-a.dat"), "targeted to B");
        Files.writeString(a.resolve("other.dat"), "stays on A");
        Files.writeString(b.resolve("notes.txt"), "text from B");
        Files.writeString(b.resolve("photo.jpg"), "not text");
        Path rules = tmp.resolve("rules.json");
        Files.writeString(rules, """
                {"format": 1,
                 "rules": [{"name": "B's text files go to A", "match": "all",
                            "when": [{"subject": "name", "op": "matches", "value": "*.txt"},
                                     {"subject": "presence", "node": "B1", "op": "exists_on"},
                                     {"subject": "presence", "node": "A1", "op": "not_exists_on"}],
                            "then": [{"action": "copy", "from": "B1", "to": "A1"}]}],
                 "targeted": [{"path": "keep/only-a.dat", "action": "copy", "from": "A1", "to": "B1"}]}
                """);
        CliProcess leader = cli("session", "start", "--bind", "127.0.0.1", "--port", "0", "--json", "--machine", "alpha",
                "--profile", tmp.resolve("alpha").toString(), "--source", a.toString(), "--members", "2", "--rules", rules.toString(),
                "--sync", "--wait", "60");
        JsonNode session = leader.awaitEvent("session", n -> true);
        CliProcess cb = join(session, session.get("relay").asText(), "bravo", b);
        JsonNode done = leader.awaitEvent("synchronized", n -> n.has("failed"));
        assertThat(done.get("failed").asInt()).isZero();
        assertThat(leader.exit()).isZero();
        assertThat(cb.exit()).isZero();
        assertThat(Files.readString(a.resolve("notes.txt"))).isEqualTo("text from B");
        assertThat(a.resolve("photo.jpg")).as("no rule copies it").doesNotExist();
        assertThat(Files.readString(b.resolve("keep/only-a.dat"))).isEqualTo("targeted to B");
        assertThat(b.resolve("other.dat")).as("only the targeted file goes to B").doesNotExist();
    }

    @Test
    void aRulesFileThatDoesNotParse_isAUsageErrorBeforeAnythingStarts() throws Exception {
        Path rules = tmp.resolve("bad.json");
        Files.writeString(rules, "{\"format\": 1, \"rules\": [{\"name\": \"typo\", \"then\": [{\"action\": \"cpy\"}]}]}");
        CliProcess leader = cli("session", "start", "--bind", "127.0.0.1", "--port", "0", "--json", "--source", tmp.toString(),
                "--members", "2", "--rules", rules.toString(), "--sync");
        assertThat(leader.exit()).isEqualTo(2);
        assertThat(leader.seen.toString() + String.join("\n", drain(leader))).contains("typo").contains("cpy");
    }

    private static List<String> drain(CliProcess p) {
        List<String> rest = new ArrayList<>();
        p.lines.drainTo(rest);
        return rest;
    }
}
