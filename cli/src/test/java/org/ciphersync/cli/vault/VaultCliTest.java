package org.ciphersync.cli.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ciphersync.cli.Main;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vault commands end to end with two computers (separate state folders and homes) on one vault
 * folder. Runs through the real entry point, {@code Main.run}.
 */
class VaultCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path vault;
    Path pw;
    String out;
    String err;

    @BeforeEach
    void setUp() throws IOException {
        vault = tmp.resolve("vault");
        pw = tmp.resolve("pw.txt");
        Files.writeString(pw, "s3cret master password\n");
    }

    private String[] computer(String name, String... rest) {
        List<String> a = new ArrayList<>(List.of(rest));
        a.addAll(List.of("--state-dir", tmp.resolve(name + "-state").toString(), "--home", tmp.resolve(name + "-home").toString(),
                "--password-file", pw.toString(), "--user", "me"));
        return a.toArray(String[]::new);
    }

    private int vault(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>();
            all.add("vault");
            all.addAll(List.of(args));
            return Main.run(all.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    private List<JsonNode> events() throws IOException {
        List<JsonNode> list = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                list.add(JSON.readTree(line));
            }
        }
        return list;
    }

    @Test
    void initJoinUpPreviewDown_twoComputers_throughTheCommandLine() throws IOException {
        Files.createDirectories(tmp.resolve("b-home"));
        assertThat(vault(computer("a", "init", vault.toString(), "--name", "alpha", "--kdf-floor", "--json"))).as(err).isZero();
        assertThat(events().get(0).path("event").asText()).isEqualTo("initialized");
        assertThat(vault(computer("b", "join", vault.toString(), "--name", "beta", "--json"))).as(err).isZero();

        Path aDocs = tmp.resolve("a-home/docs");
        Files.createDirectories(aDocs);
        Files.writeString(aDocs.resolve("hello.txt"), "hello from alpha");
        Files.writeString(aDocs.resolve("other.txt"), "other");
        assertThat(vault(computer("a", "up", aDocs.toString(), "--json"))).as(err).isZero();
        JsonNode summary = events().get(events().size() - 1);
        assertThat(summary.path("new").asInt()).isEqualTo(2);
        assertThat(summary.path("commit").asText()).isNotEmpty();

        assertThat(vault(computer("b", "preview", "--json"))).as(err).isZero();
        assertThat(events()).filteredOn(e -> e.path("event").asText().equals("item"))
                .extracting(e -> e.path("action").asText() + " " + e.path("path").asText())
                .containsExactlyInAnyOrder("restore ~/docs", "restore ~/docs/hello.txt", "restore ~/docs/other.txt");
        assertThat(Files.exists(tmp.resolve("b-home/docs/hello.txt"))).as("preview changes nothing").isFalse();

        assertThat(vault(computer("b", "down", "--only", "~/docs/hello.txt", "--json"))).as(err).isZero();
        assertThat(Files.readString(tmp.resolve("b-home/docs/hello.txt"))).isEqualTo("hello from alpha");
        assertThat(Files.exists(tmp.resolve("b-home/docs/other.txt"))).as("not chosen").isFalse();

        assertThat(vault(computer("b", "check", "--read-data"))).as(err).isZero();
        assertThat(out).contains("No errors were found.");
        assertThat(vault(computer("a", "chain", "--json"))).as(err).isZero();
        assertThat(events()).extracting(e -> e.path("name").asText()).containsExactly("alpha", "beta");
        assertThat(vault(computer("a", "log"))).as(err).isZero();
        assertThat(out).contains("alpha");
    }

    @Test
    void wrongPassword_exitsWith4AndSaysWrongPassword() throws IOException {
        assertThat(vault(computer("a", "init", vault.toString(), "--kdf-floor"))).as(err).isZero();
        Files.writeString(pw, "not the password\n");
        assertThat(vault(computer("b", "join", vault.toString()))).isEqualTo(4);
        assertThat(err).contains("wrong password");
        assertThat(err).doesNotContain("not the password");
    }

    @Test
    void otherUserName_downIsRefusedWithExit3_namingTheSetting() throws IOException {
        assertThat(vault(computer("a", "init", vault.toString(), "--kdf-floor"))).as(err).isZero();
        Path f = tmp.resolve("a-home/x.txt");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        assertThat(vault(computer("a", "up", f.toString()))).as(err).isZero();
        List<String> args = new ArrayList<>(List.of(computer("b", "join", vault.toString())));
        args.set(args.indexOf("me"), "someone-else");
        Files.createDirectories(tmp.resolve("b-home"));
        assertThat(vault(args.toArray(String[]::new))).as(err).isZero();
        args.set(0, "down");
        args.remove(1); // the location
        assertThat(vault(args.toArray(String[]::new))).isEqualTo(3);
        assertThat(err).contains("allow-other-user");
    }

    @Test
    void noPasswordFileAndNoTerminal_isAUsageErrorNeverAnEnvironmentVariable() {
        assertThat(vault("init", vault.toString(), "--state-dir", tmp.resolve("s").toString(), "--kdf-floor")).isEqualTo(2);
        assertThat(err).contains("--password-file");
    }

    @Test
    void forgottenPassword_recoveryKeyResetsIt_andTheOldPasswordNoLongerWorks() throws IOException {
        assertThat(vault(computer("a", "init", vault.toString(), "--kdf-floor", "--recovery-key", "--json"))).as(err).isZero();
        String key = events().get(0).path("recoveryKey").asText();
        assertThat(key).matches("([0-9A-Z]{4}-){12}[0-9A-Z]{4}");
        Path keyFile = tmp.resolve("rk.txt");
        Files.writeString(keyFile, key + "\n");
        Path newPw = tmp.resolve("new.txt");
        Files.writeString(newPw, "a brand new password\n");
        List<String> args = new ArrayList<>(List.of(computer("a", "passwd", "--new-password-file", newPw.toString(), "--kdf-floor")));
        int i = args.indexOf("--password-file");
        args.set(i, "--recovery-key-file");
        args.set(i + 1, keyFile.toString());
        assertThat(vault(args.toArray(String[]::new))).as(err).isZero();
        assertThat(vault(computer("a", "chain"))).as("old password").isEqualTo(4);
        Files.writeString(pw, "a brand new password\n");
        assertThat(vault(computer("a", "chain"))).as(err).isZero();
    }

    /** Every entry below {@code root}: relative path → kind, POSIX permissions, mtime and, for files, content. */
    private static java.util.Map<String, String> describe(Path root) throws IOException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String perms = java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
                long mtime = Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        .to(java.util.concurrent.TimeUnit.NANOSECONDS);
                String what = Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "folder" : "file " + Files.readString(p);
                out.put(root.relativize(p).toString(), what + " " + perms + " " + mtime);
            }
        }
        return out;
    }

    @Test
    void upThenRestore_reproducesATreeWithEmptyFoldersExactly() throws IOException {
        assertThat(vault(computer("a", "init", vault.toString(), "--kdf-floor"))).as(err).isZero();
        Path src = tmp.resolve("a-home/src");
        Files.createDirectories(src.resolve("empty-1"));
        Files.createDirectories(src.resolve("deep/empty-2/empty-3"));
        Files.createDirectories(src.resolve("locked"));
        Files.writeString(src.resolve("deep/file.txt"), "content");
        Files.writeString(src.resolve("top.txt"), "top");
        java.nio.file.attribute.FileTime t = java.nio.file.attribute.FileTime.fromMillis(1_650_000_000_123L);
        for (String d : List.of("empty-1", "deep/empty-2/empty-3", "deep/empty-2", "deep", "locked", "")) {
            Files.setLastModifiedTime(src.resolve(d), t);
        }
        Files.setPosixFilePermissions(src.resolve("locked"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        java.util.Map<String, String> before = describe(src);

        assertThat(vault(computer("a", "up", src.toString()))).as(err).isZero();
        assertThat(out).contains("6 folders: 6 new");
        Path target = tmp.resolve("restored");
        assertThat(vault(computer("a", "restore", "--at", "latest", "--target", target.toString()))).as(err).isZero();
        assertThat(describe(target.resolve("home/src"))).isEqualTo(before);

        // an empty folder removed is a new point in time; restoring the latest one no longer has it
        Files.delete(src.resolve("empty-1"));
        assertThat(vault(computer("a", "up", src.toString()))).as(err).isZero();
        assertThat(out).contains("1 removed").contains("Recorded point in time");
        Path target2 = tmp.resolve("restored-2");
        assertThat(vault(computer("a", "restore", "--at", "latest", "--target", target2.toString()))).as(err).isZero();
        assertThat(describe(target2.resolve("home/src"))).isEqualTo(describe(src));
    }
}
