package org.ciphersync.vault.store;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

/**
 * A real server started by an integration test as a child process: free ports, waiting until it
 * accepts connections, stopping it with all its children, and the rule for missing binaries
 * (fail when {@code CI=true}, skip otherwise). Exported with the test-jar for the backend modules.
 */
public final class ServerProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    private ServerProcess(String name, List<String> command, Map<String, String> environment, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    /**
     * Makes sure {@code binary} is installed: fails the test when the environment variable
     * {@code CI} is {@code true}, skips it otherwise, naming the Debian package to install.
     */
    public static Path requireBinary(String binary, String debianPackage) {
        Path path = Path.of(binary);
        if (!path.isAbsolute()) {
            path = findOnPath(binary);
        }
        if (path == null || !Files.isExecutable(path)) {
            String message = binary + " is not installed; install the Debian package '" + debianPackage + "' to run this test";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true turns this skip into a failure)");
            }
            Assumptions.abort(message);
        }
        return path;
    }

    private static Path findOnPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** Starts {@code command}, logging to {@code log}, and waits until 127.0.0.1:{@code port} accepts connections. */
    public static ServerProcess start(String name, List<String> command, Map<String, String> environment, Path log, int port)
            throws IOException, InterruptedException {
        ServerProcess server = new ServerProcess(name, command, environment, log);
        server.restart(port);
        return server;
    }

    /** Starts the same command again (after {@link #kill()}) and waits for the port. */
    public void restart(int port) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " before listening on " + port + "; log:\n" + logTail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        kill();
        throw new IOException(name + " did not listen on " + port + " within 30 s; log:\n" + logTail());
    }

    /** The last lines of the server's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the server and every process it forked (SIGKILL), and waits for them to end. */
    public void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        process.waitFor();
        for (ProcessHandle child : children) {
            try {
                child.onExit().get();
            } catch (java.util.concurrent.ExecutionException e) {
                // already gone
            }
        }
    }

    /** The underlying process. */
    public Process process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        process.waitFor();
    }

    @Override
    public String toString() {
        return name;
    }
}
