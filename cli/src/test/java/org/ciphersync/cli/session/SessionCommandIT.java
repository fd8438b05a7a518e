package org.ciphersync.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.ciphersync.cli.CliProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ciphersync session start / join} as separate processes from the packaged distribution, with {@code --json}. */
class SessionCommandIT {
    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    /** A {@code ciphersync} process with its XDG folders in this test's folder. */
    private CliProcess cli(String... args) throws Exception {
        return new CliProcess(tmp, processes, args);
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void startWithAnEmbeddedRelay_thenJoinWithAPasswordFromStdin_showsBothMembers_andBothExitCleanly() throws Exception {
        CliProcess a = cli("session", "start", "--bind", "127.0.0.1", "--port", "0", "--json", "--machine", "alpha",
                "--source", tmp.toString());
        JsonNode session = a.awaitEvent("session", n -> true);
        String id = session.get("sessionId").asText();
        String password = session.get("password").asText();
        String relay = session.get("relay").asText();
        assertThat(relay).startsWith("ws://127.0.0.1:");

        CliProcess wrong = cli("session", "join", id, "--relay", relay, "--password-file", "/dev/stdin", "--json",
                "--profile", tmp.resolve("mallory").toString(), "--machine", "mallory");
        wrong.type("0000-0000-0000");
        wrong.awaitEvent("joinRefused", n -> n.get("message").asText().contains("wrong session ID or password"));
        assertThat(wrong.exit()).as("wrong password exits with the AUTH code").isEqualTo(4);

        CliProcess b = cli("session", "join", id, "--relay", relay, "--password-file", "/dev/stdin", "--json",
                "--profile", tmp.resolve("bravo").toString(), "--machine", "bravo");
        b.type(password);
        b.awaitEvent("joined", n -> true);
        JsonNode members = b.awaitEvent("members", n -> n.get("members").size() == 2
                && n.get("members").get(0).get("sources").size() == 1);
        assertThat(members.get("members").get(0).get("machine").asText()).isEqualTo("alpha");
        assertThat(members.get("members").get(1).get("thisComputer").asBoolean()).isTrue();
        a.awaitEvent("members", n -> n.get("members").size() == 2);

        b.type("exit");
        b.awaitEvent("ended", n -> true);
        assertThat(b.exit()).isZero();
        a.awaitEvent("members", n -> n.get("members").size() == 1);
        a.type("exit");
        assertThat(a.exit()).isZero();
        assertThat(b.process.info().arguments().orElse(new String[0])).doesNotContain(password);
    }

    @Test
    void theNonInteractiveRun_mirrorsAOntoTwoMembers_andEveryProcessExitsZero() throws Exception {
        Path a = java.nio.file.Files.createDirectories(tmp.resolve("a"));
        java.nio.file.Files.writeString(a.resolve("hello.txt"), "hello from A");
        java.nio.file.Files.createDirectories(a.resolve("sub"));
        java.nio.file.Files.writeString(a.resolve("sub/deep.txt"), "deep");
        Path b = java.nio.file.Files.createDirectories(tmp.resolve("b"));
        java.nio.file.Files.writeString(b.resolve("stale.txt"), "to be removed");
        Path c = java.nio.file.Files.createDirectories(tmp.resolve("c"));
        java.nio.file.Files.writeString(c.resolve("own.txt"), "C's own file"); // an empty node would trip the empty-node guard

        CliProcess leader = cli("session", "start", "--bind", "127.0.0.1", "--port", "0", "--json", "--machine", "alpha",
                "--source", a.toString(), "--members", "3", "--preset", "mirror", "--sync", "--wait", "60");
        JsonNode session = leader.awaitEvent("session", n -> true);
        List<CliProcess> joiners = new ArrayList<>();
        for (String[] m : List.of(new String[] {"bravo", b.toString()}, new String[] {"charlie", c.toString()})) {
            CliProcess j = cli("session", "join", session.get("sessionId").asText(), "--relay", session.get("relay").asText(),
                    "--password-file", "/dev/stdin", "--json", "--profile", tmp.resolve(m[0]).toString(), "--machine", m[0],
                    "--source", m[1]);
            j.type(session.get("password").asText());
            joiners.add(j);
        }
        JsonNode done = leader.awaitEvent("synchronized", n -> n.has("failed"));
        assertThat(done.get("failed").asInt()).isZero();
        assertThat(leader.exit()).isZero();
        for (CliProcess j : joiners) {
            j.awaitEvent("ended", n -> true);
            assertThat(j.exit()).isZero();
        }
        for (Path target : List.of(b, c)) {
            assertThat(java.nio.file.Files.readString(target.resolve("hello.txt"))).isEqualTo("hello from A");
            assertThat(java.nio.file.Files.readString(target.resolve("sub/deep.txt"))).isEqualTo("deep");
        }
        assertThat(b.resolve("stale.txt")).doesNotExist();
        assertThat(c.resolve("own.txt")).doesNotExist();
    }

    @Test
    void readOnlyFoldersOfTheSource_arriveWithTheirModes_atAMemberWithoutRootsPowers() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path archive = Files.createDirectories(a.resolve("archive/inner"));
        Files.writeString(archive.resolve("note.txt"), "kept as it was");
        Files.writeString(a.resolve("archive/photo.txt"), "a photo");
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(a.resolve("archive"), PosixFilePermissions.fromString("r-xr-xr-x"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Path bravo = Files.createDirectories(tmp.resolve("bravo"));
        CliProcess.handOver(b, bravo);

        CliProcess leader = cli("session", "start", "--bind", "127.0.0.1", "--port", "0", "--json", "--machine", "alpha",
                "--source", a.toString(), "--members", "2", "--preset", "mirror", "--sync", "--force", "--wait", "60");
        JsonNode session = leader.awaitEvent("session", n -> true);
        CliProcess j = CliProcess.unprivileged(bravo, processes, "session", "join", session.get("sessionId").asText(),
                "--relay", session.get("relay").asText(), "--password-file", "/dev/stdin", "--json",
                "--profile", bravo.resolve("profile").toString(), "--machine", "bravo", "--source", b.toString());
        j.type(session.get("password").asText());
        JsonNode done = leader.awaitEvent("synchronized", n -> n.has("failed"));
        assertThat(done.get("failed").asInt()).as(done.toString()).isZero();
        assertThat(leader.exit()).isZero();
        j.awaitEvent("ended", n -> true);
        assertThat(j.exit()).isZero();
        assertThat(Files.readString(b.resolve("archive/photo.txt"))).isEqualTo("a photo");
        assertThat(Files.readString(b.resolve("archive/inner/note.txt"))).isEqualTo("kept as it was");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("archive")))).isEqualTo("r-xr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("archive/inner")))).isEqualTo("r-x------");
    }

    @Test
    void anUnreadableFolderOnTheLeadersSource_isListedAsLeftOut_exits1_andTheMembersCopyIsKept() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Files.writeString(a.resolve("readable.txt"), "for everyone");
        Files.writeString(Files.createDirectories(a.resolve("private")).resolve("doc.txt"), "A's newer text");
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(Files.createDirectories(b.resolve("private")).resolve("doc.txt"), "B's copy");
        Path alpha = Files.createDirectories(tmp.resolve("alpha"));
        CliProcess.handOver(a, alpha);
        Files.setPosixFilePermissions(a.resolve("private"), PosixFilePermissions.fromString("---------"));

        CliProcess leader = CliProcess.unprivileged(alpha, processes, "session", "start", "--bind", "127.0.0.1",
                "--port", "0", "--json", "--machine", "alpha", "--source", a.toString(), "--members", "2",
                "--preset", "mirror", "--sync", "--wait", "60");
        JsonNode session = leader.awaitEvent("session", n -> true);
        CliProcess j = cli("session", "join", session.get("sessionId").asText(), "--relay", session.get("relay").asText(),
                "--password-file", "/dev/stdin", "--json", "--profile", tmp.resolve("bravo").toString(), "--machine", "bravo",
                "--source", b.toString());
        j.type(session.get("password").asText());
        JsonNode done = leader.awaitEvent("synchronized", n -> n.has("failed"));
        assertThat(done.get("failed").asInt()).as(done.toString()).isZero();
        assertThat(done.get("leftOut").toString()).contains("private", "unreadable");
        assertThat(leader.exit()).as("not everything was synchronized").isEqualTo(1);
        j.awaitEvent("ended", n -> true);
        assertThat(Files.readString(b.resolve("readable.txt"))).isEqualTo("for everyone");
        assertThat(Files.readString(b.resolve("private/doc.txt"))).as("kept, not deleted as missing on A").isEqualTo("B's copy");
        Files.setPosixFilePermissions(a.resolve("private"), PosixFilePermissions.fromString("rwx------")); // clean-up
    }

    @Test
    void aMirrorFromAnEmptySource_isRefusedByTheGuard_exit3_deletesNothing_andRunsWithForce() throws Exception {
        Path a = java.nio.file.Files.createDirectories(tmp.resolve("a")); // empty: an unmounted disk, a wrong folder
        Path b = java.nio.file.Files.createDirectories(tmp.resolve("b"));
        for (int i = 0; i < 12; i++) {
            java.nio.file.Files.writeString(b.resolve("photo-" + i + ".jpg"), "photo " + i);
        }
        for (boolean force : new boolean[] {false, true}) {
            List<String> args = new ArrayList<>(List.of("session", "start", "--bind", "127.0.0.1", "--port", "0", "--json",
                    "--machine", "alpha", "--source", a.toString(), "--members", "2", "--preset", "mirror", "--sync", "--wait", "60"));
            if (force) {
                args.addAll(List.of("--force", "--data", tmp.resolve("relay-parts").toString()));
            }
            CliProcess leader = cli(args.toArray(String[]::new));
            JsonNode session = leader.awaitEvent("session", n -> true);
            CliProcess j = cli("session", "join", session.get("sessionId").asText(), "--relay", session.get("relay").asText(),
                    "--password-file", "/dev/stdin", "--json", "--profile", tmp.resolve("bravo").toString(), "--machine", "bravo",
                    "--source", b.toString());
            j.type(session.get("password").asText());
            if (!force) {
                JsonNode failed = leader.awaitEvent("failed", n -> true);
                assertThat(failed.get("message").asText()).contains("A1 are empty").contains("--force").contains("nothing was changed");
                assertThat(leader.exit()).as("refused by a safety guard").isEqualTo(3);
                j.process.destroyForcibly().waitFor();
                try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(b)) {
                    assertThat(files.filter(p -> p.getFileName().toString().startsWith("photo-"))).as("nothing deleted").hasSize(12);
                }
            } else {
                JsonNode done = leader.awaitEvent("synchronized", n -> n.has("failed"));
                assertThat(done.get("failed").asInt()).isZero();
                assertThat(leader.exit()).isZero();
                j.awaitEvent("ended", n -> true);
                assertThat(j.exit()).isZero();
                try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(b)) {
                    assertThat(files.filter(p -> p.getFileName().toString().startsWith("photo-"))).as("the forced mirror ran").isEmpty();
                }
                assertThat(tmp.resolve("relay-parts")).as("the embedded relay kept its parts under --data").isDirectory();
            }
        }
    }
}
