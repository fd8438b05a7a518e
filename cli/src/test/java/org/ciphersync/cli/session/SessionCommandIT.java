package org.ciphersync.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ciphersync session start / join} as separate processes from the packaged distribution, with {@code --json}. */
class SessionCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    /** One running {@code ciphersync} process whose output lines are collected as they come. */
    private final class Cli {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuilder seen = new StringBuilder();

        Cli(String... args) throws Exception {
            Path lib = Path.of("target", "dist", "lib").toAbsolutePath();
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", lib + "/*",
                    "org.ciphersync.cli.Main"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("XDG_DATA_HOME", tmp.resolve("data").toString());
            pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
            process = pb.start();
            processes.add(process);
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (java.io.IOException e) {
                    // process gone
                }
            });
        }

        JsonNode awaitEvent(String event, Predicate<JsonNode> condition) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String l = lines.poll(200, TimeUnit.MILLISECONDS);
                if (l == null) {
                    continue;
                }
                seen.append(l).append('\n');
                if (l.startsWith("{")) {
                    JsonNode n = JSON.readTree(l);
                    if (event.equals(n.path("event").asText()) && condition.test(n)) {
                        return n;
                    }
                }
            }
            throw new AssertionError("no '" + event + "' event; output so far:\n" + seen);
        }

        void type(String line) throws Exception {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        int exit() throws Exception {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("process ended; output:\n" + seen).isTrue();
            return process.exitValue();
        }
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void startWithAnEmbeddedRelay_thenJoinWithAPasswordFromStdin_showsBothMembers_andBothExitCleanly() throws Exception {
        Cli a = new Cli("session", "start", "--bind", "127.0.0.1", "--port", "0", "--json", "--machine", "alpha",
                "--source", tmp.toString());
        JsonNode session = a.awaitEvent("session", n -> true);
        String id = session.get("sessionId").asText();
        String password = session.get("password").asText();
        String relay = session.get("relay").asText();
        assertThat(relay).startsWith("ws://127.0.0.1:");

        Cli wrong = new Cli("session", "join", id, "--relay", relay, "--password-file", "/dev/stdin", "--json",
                "--profile", tmp.resolve("mallory").toString(), "--machine", "mallory");
        wrong.type("0000-0000-0000");
        wrong.awaitEvent("joinRefused", n -> n.get("message").asText().contains("wrong session ID or password"));
        assertThat(wrong.exit()).as("wrong password exits with the AUTH code").isEqualTo(4);

        Cli b = new Cli("session", "join", id, "--relay", relay, "--password-file", "/dev/stdin", "--json",
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

        Cli leader = new Cli("session", "start", "--bind", "127.0.0.1", "--port", "0", "--json", "--machine", "alpha",
                "--source", a.toString(), "--members", "3", "--preset", "mirror", "--sync", "--wait", "60");
        JsonNode session = leader.awaitEvent("session", n -> true);
        List<Cli> joiners = new ArrayList<>();
        for (String[] m : List.of(new String[] {"bravo", b.toString()}, new String[] {"charlie", c.toString()})) {
            Cli j = new Cli("session", "join", session.get("sessionId").asText(), "--relay", session.get("relay").asText(),
                    "--password-file", "/dev/stdin", "--json", "--profile", tmp.resolve(m[0]).toString(), "--machine", m[0],
                    "--source", m[1]);
            j.type(session.get("password").asText());
            joiners.add(j);
        }
        JsonNode done = leader.awaitEvent("synchronized", n -> n.has("failed"));
        assertThat(done.get("failed").asInt()).isZero();
        assertThat(leader.exit()).isZero();
        for (Cli j : joiners) {
            j.awaitEvent("ended", n -> true);
            assertThat(j.exit()).isZero();
        }
        for (Path target : List.of(b, c)) {
            assertThat(java.nio.file.Files.readString(target.resolve("hello.txt"))).isEqualTo("hello from A");
            assertThat(java.nio.file.Files.readString(target.resolve("sub/deep.txt"))).isEqualTo("deep");
        }
        assertThat(b.resolve("stale.txt")).doesNotExist();
    }
}
