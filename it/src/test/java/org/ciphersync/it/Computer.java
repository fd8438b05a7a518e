package org.ciphersync.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ciphersync.cli.Main;

/**
 * One "computer" of a vault chain inside the test: its own state folder, home and user name, the
 * shared password file and the storage's {@code -o} settings. {@link #run} goes through the real
 * entry point {@code Main.run} in this JVM; {@link #start} launches the same command line as a
 * separate JVM (to be killed, or to outlive a killed server).
 */
final class Computer {
    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final Path home;
    final Path state;
    private final Path passwordFile;
    private final StorageServer server;

    Computer(Path root, String name, Path passwordFile, StorageServer server) throws IOException {
        this.name = name;
        this.home = Files.createDirectories(root.resolve(name + "-home"));
        this.state = root.resolve(name + "-state");
        this.passwordFile = passwordFile;
        this.server = server;
    }

    /** What a command printed and returned. */
    record Result(int exit, String out, String err) {
        /** Standard output as JSON events (commands run with {@code --json}). */
        List<JsonNode> events() {
            List<JsonNode> list = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    try {
                        list.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new UncheckedIOException("not a JSON event: " + line, e);
                    }
                }
            }
            return list;
        }

        /** The last event named {@code event}. */
        JsonNode last(String event) {
            return events().stream().filter(e -> e.path("event").asText().equals(event)).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no '" + event + "' event in:\n" + out + "\nstderr:\n" + err));
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** {@code ciphersync vault <command> <args…>} with this computer's identity, in this JVM. */
    Result run(String command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            exit = Main.run(o, e, arguments(command, args).toArray(String[]::new));
        }
        return withoutSecrets(new Result(exit, out.toString(), err.toString()));
    }

    /** Fails the test when a server secret shows up in what a command printed. */
    private Result withoutSecrets(Result r) {
        for (String secret : server.secrets()) {
            if (r.out().contains(secret) || r.err().contains(secret)) {
                throw new AssertionError("a vault command printed a secret of " + server.name() + " (" + r.exit() + ")");
            }
        }
        return r;
    }

    /** The same command line in a separate JVM (the test's class path), output to files under the state folder. */
    Process start(String command, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(arguments(command, args));
        Files.createDirectories(state);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(state.resolve(command + ".out").toFile())
                .redirectError(state.resolve(command + ".err").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("SSH_AUTH_SOCK"));
        env.putAll(server.environment());
        return pb.start();
    }

    /** What a process started by {@link #start} printed. */
    Result result(Process p, String command) throws IOException {
        return withoutSecrets(new Result(p.exitValue(), Files.readString(state.resolve(command + ".out")),
                Files.readString(state.resolve(command + ".err"))));
    }

    private List<String> arguments(String command, String... args) {
        List<String> a = new ArrayList<>(List.of("vault", command));
        a.addAll(List.of(args));
        a.addAll(server.options());
        a.addAll(List.of("--state-dir", state.toString(), "--home", home.toString(), "--password-file", passwordFile.toString(),
                "--user", "me"));
        return a;
    }
}
