package org.ciphersync.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The training run for the JVM's ahead-of-time cache (JDK 25+, {@code -XX:AOTCacheOutput}): the
 * launcher runs it once after each build, in a scratch folder, so that the classes and method
 * profiles of the everyday commands (local synchronization, inventory, the vault's up-sync,
 * preview, restore and check) are loaded, linked and profiled before the person's first command.
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
        int failures = run(dir);
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Runs the training workload in {@code dir}; returns the number of commands that failed. */
    static int run(Path dir) throws IOException {
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
