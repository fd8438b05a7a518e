package org.ciphersync.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run for the JVM's ahead-of-time cache (JDK 25+, {@code -XX:AOTCacheOutput}): the
 * launcher runs it once after each build, in a scratch folder, so that the classes and method
 * profiles of the everyday commands (local synchronization, inventory, the vault's up-sync,
 * preview, restore and check, and a two-member session through a relay on 127.0.0.1) are loaded,
 * linked and profiled before the person's first command.
 * It goes through the real entry point on a generated tree and prints nothing. Not a user command.
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=FILE -cp … org.ciphersync.cli.Training SCRATCH_DIR}
 * (the launcher also points the XDG folders into the scratch folder, so no cache or state of the
 * person's is touched).
 */
public final class Training {
    private Training() {
    }

    public static void main(String[] args) throws IOException {
        Main.quietLibraryLogging();
        Path dir = Path.of(args[0]);
        int failures = commands(dir);
        // Best effort: where a loopback session cannot run (no free port, networking blocked), the
        // cache still holds the other commands' classes and profiles instead of being thrown away.
        session(dir, dir.resolve("src"));
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Runs the whole training workload in {@code dir}; returns the number of commands that failed. */
    static int run(Path dir) throws IOException {
        int failures = commands(dir);
        return failures + session(dir, dir.resolve("src"));
    }

    /** The everyday commands on a generated tree in {@code dir}; returns the number that failed. */
    private static int commands(Path dir) throws IOException {
        Path src = dir.resolve("src");
        Path dst = Files.createDirectories(dir.resolve("dst"));
        Path vault = dir.resolve("vault");
        Path password = dir.resolve("password");
        Files.writeString(password, "training password, not a secret\n");
        generate(src, new Random(1));
        String[] vaultOpts = {"--password-file", password.toString(), "--home", dir.toString(),
                "--state-dir", dir.resolve("vault-state").toString()};
        int failures = 0;
        failures += quiet("local", src.toString(), dst.toString(), "--preset", "mirror", "--force");
        edit(src);
        failures += quiet("local", src.toString(), dst.toString(), "--preset", "mirror");
        failures += quiet("inventory", src.toString(), "--checksum");
        failures += quiet(concat(new String[] {"vault", "init", vault.toString(), "--kdf-floor"}, vaultOpts));
        failures += quiet(concat(new String[] {"vault", "up", src.toString()}, vaultOpts));
        edit(src);
        failures += quiet(concat(new String[] {"vault", "up", src.toString()}, vaultOpts));
        failures += quiet(concat(new String[] {"vault", "preview"}, vaultOpts));
        failures += quiet(concat(new String[] {"vault", "restore", "--at", "latest", "--target",
                dir.resolve("restored").toString()}, vaultOpts));
        failures += quiet(concat(new String[] {"vault", "check"}, vaultOpts));
        return failures;
    }

    /**
     * A two-member mirror session in this process: the leader with its embedded relay on a free
     * loopback port (so the relay server's classes are trained too), and a member that joins with
     * the password the leader's first JSON event announces. Gives up after a minute.
     */
    private static int session(Path dir, Path src) throws IOException {
        Path dst = Files.createDirectories(dir.resolve("session-dst"));
        Path passwordFile = dir.resolve("session-password");
        CompletableFuture<String> announced = new CompletableFuture<>();
        PrintWriter leaderOut = new PrintWriter(new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(char[] buf, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    if (buf[i] == '\n') {
                        if (line.indexOf("\"sessionId\"") >= 0) {
                            announced.complete(line.toString());
                        }
                        line.setLength(0);
                    } else {
                        line.append(buf[i]);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }, true);
        PrintWriter nul = new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Integer> leader = CompletableFuture.supplyAsync(() -> Main.run(leaderOut, nul, "session", "start",
                    "--bind", "127.0.0.1", "--port", "0", "--data", dir.resolve("relay-parts").toString(),
                    "--source", src.toString(), "--members", "2", "--preset", "mirror", "--sync", "--force", "--json",
                    "--profile", dir.resolve("profile-a").toString(), "--machine", "A", "--wait", "60"), pool);
            // a leader that ends without announcing its session (no free port, …) ends the wait at once
            leader.whenComplete((code, e) -> announced.completeExceptionally(new IllegalStateException("the leader ended first")));
            String event = announced.get(60, TimeUnit.SECONDS);
            Files.writeString(passwordFile, field(event, "password") + "\n");
            Future<Integer> member = pool.submit(() -> Main.run(nul, nul, "session", "join", field(event, "sessionId"),
                    "--relay", field(event, "relay"), "--source", dst.toString(), "--password-file", passwordFile.toString(),
                    "--json", "--profile", dir.resolve("profile-b").toString(), "--machine", "B"));
            return (leader.get(60, TimeUnit.SECONDS) == 0 ? 0 : 1) + (member.get(60, TimeUnit.SECONDS) == 0 ? 0 : 1);
        } catch (ExecutionException | TimeoutException e) {
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The string value of {@code name} in a one-line JSON event (training only: the values have no escapes). */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in the leader's first event");
        }
        return m.group(1);
    }

    private static int quiet(String... args) {
        PrintWriter nul = new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        return Main.run(nul, nul, args) == 0 ? 0 : 1;
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** Some hundred small text files in nested folders and a few larger ones (several chunks each). */
    private static void generate(Path src, Random rnd) throws IOException {
        for (int d = 0; d < 12; d++) {
            Path folder = Files.createDirectories(src.resolve("d" + d).resolve("sub" + (d % 3)));
            for (int f = 0; f < 25; f++) {
                StringBuilder text = new StringBuilder();
                for (int line = rnd.nextInt(40) + 1; line > 0; line--) {
                    text.append("line ").append(rnd.nextLong()).append('\n');
                }
                Files.writeString(folder.resolve("file" + f + ".txt"), text);
            }
        }
        for (int f = 0; f < 3; f++) {
            byte[] big = new byte[(3 + f) << 20];
            rnd.nextBytes(big);
            Files.write(src.resolve("big" + f + ".bin"), big);
        }
    }

    /** Changes a few files (new content, new mtime) so the next runs have work to do. */
    private static void edit(Path src) throws IOException {
        try (Stream<Path> files = Files.walk(src)) {
            var picked = files.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains(".ciphersync"))
                    .sorted(Comparator.naturalOrder()).limit(20).toList();
            for (Path p : picked) {
                Files.writeString(p, "edited\n", java.nio.file.StandardOpenOption.APPEND);
                Files.setLastModifiedTime(p, FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 2000));
            }
        }
    }
}
