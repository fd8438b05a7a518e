package org.ciphersync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** One running {@code ciphersync} process from the packaged distribution whose output lines are collected as they come. */
public final class CliProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Process process;
    public final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    public final StringBuilder seen = new StringBuilder();

    /** Starts {@code ciphersync args…} with its XDG folders below {@code home}; {@code started} collects it for clean-up. */
    public CliProcess(Path home, List<Process> started, String... args) throws Exception {
        this(List.of(), Path.of("target", "dist", "lib").toAbsolutePath(), home, started, args);
    }

    private CliProcess(List<String> prefix, Path lib, Path home, List<Process> started, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", lib + "/*", "org.ciphersync.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        pb.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
        process = pb.start();
        started.add(process);
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

    /** The user id unprivileged processes run as when the tests run as root: {@code nobody}. */
    public static final int NOBODY = 65534;

    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Starts {@code ciphersync args…} as a user without root's power to ignore permissions: as
     * {@code nobody} (through util-linux's {@code setpriv}) when the tests run as root, as the
     * tests' own user otherwise. The distribution is copied where that user can read it; the
     * folders it must write ({@code home} among them) are the caller's to hand over ({@link #handOver}).
     */
    public static CliProcess unprivileged(Path home, List<Process> started, String... args) throws Exception {
        if (!runningAsRoot()) {
            return new CliProcess(home, started, args);
        }
        return new CliProcess(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"),
                readableDistribution(), home, started, args);
    }

    private static Path readableCopy;

    /** One copy of the distribution per test JVM, readable by every user, removed when the JVM exits. */
    private static synchronized Path readableDistribution() throws Exception {
        if (readableCopy == null) {
            Path lib = Files.createTempDirectory("ciphersync-dist-");
            List<Path> copies = new ArrayList<>();
            try (var jars = Files.list(Path.of("target", "dist", "lib"))) {
                for (Path jar : jars.toList()) {
                    copies.add(Files.copy(jar, lib.resolve(jar.getFileName())));
                }
            }
            Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    for (Path c : copies) {
                        Files.deleteIfExists(c);
                    }
                    Files.deleteIfExists(lib);
                } catch (java.io.IOException e) {
                    // a copy left in the temporary folder
                }
            }));
            readableCopy = lib;
        }
        return readableCopy;
    }

    /**
     * Makes {@code dirs} (and what is in them) the unprivileged user's, and the folders between them
     * and the temporary folder passable. Only folders inside the temporary folder are handed over.
     */
    public static void handOver(Path... dirs) throws Exception {
        if (!runningAsRoot()) {
            return;
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
        for (Path d : dirs) {
            Path real = d.toRealPath();
            if (!real.startsWith(tmp) || real.equals(tmp)) {
                throw new IllegalArgumentException(d + " is not inside " + tmp + "; only test folders are handed over");
            }
            for (Path up = real.getParent(); !up.equals(tmp); up = up.getParent()) {
                Files.setPosixFilePermissions(up, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            new ProcessBuilder("chown", "-R", NOBODY + ":" + NOBODY, real.toString()).inheritIO().start().waitFor();
        }
    }

    public JsonNode awaitEvent(String event, Predicate<JsonNode> condition) throws Exception {
        return awaitEvent(event, condition, 60);
    }

    public JsonNode awaitEvent(String event, Predicate<JsonNode> condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
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

    /** Every JSON event seen so far or still buffered, without waiting. */
    public List<JsonNode> drainEvents() throws Exception {
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        for (String l : rest) {
            seen.append(l).append('\n');
        }
        List<JsonNode> out = new ArrayList<>();
        for (String l : seen.toString().split("\n")) {
            if (l.startsWith("{")) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }

    public void type(String line) throws Exception {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    public int exit() throws Exception {
        return exit(30);
    }

    public int exit(int seconds) throws Exception {
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("process ended; output:\n" + seen).isTrue();
        return process.exitValue();
    }
}
