package org.ciphersync.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ciphersync.cli.Main;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ciphersync local} through the real entry point, on real folders. */
class LocalCommandTest {
    @TempDir
    Path tmp;
    Path a;
    Path b;
    Path cache;

    record Run(int exit, String out, String err) {
        List<JsonNode> events() throws IOException {
            List<JsonNode> list = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    list.add(new ObjectMapper().readTree(line));
                }
            }
            return list;
        }

        JsonNode last(String event) throws IOException {
            JsonNode found = null;
            for (JsonNode n : events()) {
                if (n.get("event").asText().equals(event)) {
                    found = n;
                }
            }
            assertThat(found).as("event " + event + " in " + out).isNotNull();
            return found;
        }
    }

    @BeforeEach
    void folders() throws IOException {
        a = Files.createDirectories(tmp.resolve("a"));
        b = Files.createDirectories(tmp.resolve("b"));
        cache = tmp.resolve("cache");
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        if (args.length > 0 && args[0].equals("local")) {
            all.add("--cache-dir");
            all.add(cache.toString());
        }
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
    }

    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.isEmpty() || rel.startsWith(".ciphersync")) {
                    continue;
                }
                m.put(rel, Files.isDirectory(p) ? "<dir>" : Files.readString(p));
            }
        }
        return m;
    }

    @Test
    void mirror_copiesEverything_thenASecondRunPlansNothing() throws IOException {
        write(a.resolve("x.txt"), "hello");
        write(a.resolve("docs/deep/y.md"), "world");
        write(b.resolve("stale.txt"), "old");

        Run first = run("local", a.toString(), b.toString(), "--preset", "mirror", "--json", "--force");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(contents(b)).isEqualTo(contents(a));
        assertThat(first.last("summary").get("complete").asBoolean()).isTrue();
        assertThat(Files.readString(b.resolve("docs/deep/y.md"))).isEqualTo("world");
        assertThat(Files.getLastModifiedTime(b.resolve("x.txt")).toInstant()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));

        Run second = run("local", a.toString(), b.toString(), "--preset", "mirror", "--json");
        assertThat(second.exit()).isZero();
        assertThat(second.last("summary").get("planned").size()).as(second.out()).isZero();
    }

    @Test
    void deletedAndOverwrittenFiles_goToTheVersionsArea() throws IOException {
        write(a.resolve("keep.txt"), "new content");
        for (int i = 0; i < 12; i++) {
            write(a.resolve("f" + i), "x" + i);
            write(b.resolve("f" + i), "x" + i);
        }
        write(b.resolve("keep.txt"), "old content, longer");
        write(b.resolve("gone.txt"), "precious");

        Run r = run("local", a.toString(), b.toString(), "--preset", "mirror");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(b.resolve("gone.txt")).doesNotExist();
        assertThat(Files.readString(b.resolve("keep.txt"))).isEqualTo("new content");
        List<String> versions;
        try (Stream<Path> s = Files.walk(b.resolve(".ciphersync/versions"))) {
            versions = s.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(versions).contains("precious", "old content, longer");
    }

    @Test
    void dryRun_printsThePlanAndChangesNothing() throws IOException {
        write(a.resolve("x.txt"), "hello");
        Run r = run("local", a.toString(), b.toString(), "--preset", "mirror", "--dry-run");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Dry run").contains("x.txt");
        assertThat(contents(b)).isEmpty();
    }

    @Test
    void compare_showsOneRowPerItemWithAColumnPerFolder() throws IOException {
        write(a.resolve("same.txt"), "s");
        write(b.resolve("same.txt"), "s");
        write(a.resolve("only-a.txt"), "a");
        Run r = run("local", a.toString(), b.toString(), "--compare", "--only-differences", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> rows = r.events().stream().filter(e -> e.get("event").asText().equals("row"))
                .map(e -> e.get("path").asText()).toList();
        assertThat(rows).containsExactly("only-a.txt");
        assertThat(contents(b)).containsOnlyKeys("same.txt");
    }

    @Test
    void twoWay_propagatesNewFilesBothWays() throws IOException {
        write(a.resolve("from-a.txt"), "A");
        write(b.resolve("from-b.txt"), "B");
        Run r = run("local", a.toString(), b.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(contents(a)).isEqualTo(contents(b)).containsKeys("from-a.txt", "from-b.txt");
    }

    @Test
    void missingFolder_isRefusedWithExitCode3() {
        Run r = run("local", a.toString(), tmp.resolve("nope").toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("nope").contains("not found");
    }

    @Test
    void massDelete_isRefusedUnlessForced() throws IOException {
        write(a.resolve("one.txt"), "1");
        for (int i = 0; i < 40; i++) {
            write(a.resolve("one.txt"), "1");
            write(b.resolve("f" + i + ".txt"), "precious " + i);
        }
        write(b.resolve("one.txt"), "1");
        Run refused = run("local", a.toString(), b.toString(), "--preset", "mirror");
        assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(3);
        assertThat(refused.err()).contains("--force");
        assertThat(b.resolve("f0.txt")).exists();

        Run forced = run("local", a.toString(), b.toString(), "--preset", "mirror", "--force");
        assertThat(forced.exit()).isZero();
        assertThat(b.resolve("f0.txt")).doesNotExist();
    }

    @Test
    void usageErrors_exitWith2() {
        assertThat(run("local", a.toString()).exit()).isEqualTo(2);
        assertThat(run("local", a.toString(), b.toString(), "--preset", "sideways").exit()).isEqualTo(2);
        assertThat(run("no-such-command").exit()).isEqualTo(2);
    }

    @Test
    void badRulesFile_isAUsageErrorNamingTheProblem() throws IOException {
        Path rules = tmp.resolve("rules.json");
        Files.writeString(rules, "{\"format\": 1, \"rules\": [{\"name\": \"r\", \"match\": \"all\", \"when\": [], \"then\": [{\"action\": \"explode\"}]}]}");
        write(a.resolve("x"), "x");
        Run r = run("local", a.toString(), b.toString(), "--rules", rules.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("rules.json");
        assertThat(contents(b)).isEmpty();
    }
}
