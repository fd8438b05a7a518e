package org.ciphersync.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two-computer vault scenario of the vault issue, through the real command line, on every
 * storage backend against a real server: computer 1 creates the vault and up-syncs a small tree,
 * computer 2 joins, previews exactly what a down-sync would restore, down-syncs, gets the same
 * bytes, and a full check (reading every pack back) finds nothing wrong.
 */
class TwoComputerVaultIT {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void initUpJoinPreviewDownCheck_givesComputer2TheSameTree(Backend backend) throws Exception {
        try (StorageServer server = backend.start(Files.createDirectories(tmp.resolve("server")))) {
            Path pw = Files.writeString(tmp.resolve("password.txt"), "correct horse battery staple ✓\n");
            Computer one = new Computer(tmp, "alpha", pw, server);
            Computer two = new Computer(tmp, "beta", pw, server);
            String location = server.location("family-vault");
            Path tree = one.home.resolve("tree");
            Trees.writeSmall(tree);
            Set<String> files = Trees.files(tree);

            Computer.Result init = one.run("init", location, "--name", "alpha", "--kdf-floor", "--json");
            assertThat(init.exit()).as(init.toString()).isZero();
            assertThat(init.last("initialized").path("location").asText()).isEqualTo(location);

            Computer.Result up = one.run("up", tree.toString(), "--json");
            assertThat(up.exit()).as(up.toString()).isZero();
            JsonNode summary = up.last("summary");
            assertThat(summary.path("new").asInt()).as(up.toString()).isEqualTo(files.size());
            assertThat(summary.path("uploadedBytes").asLong()).as("the 5 MiB file is random, so it is stored whole")
                    .isGreaterThan(5L * 1024 * 1024);
            assertThat(server.packs()).as("pack objects on the server's side (%s)", server.dataRoot()).isNotEmpty();

            Computer.Result join = two.run("join", location, "--name", "beta", "--json");
            assertThat(join.exit()).as(join.toString()).isZero();

            Computer.Result preview = two.run("preview", "--json");
            assertThat(preview.exit()).as(preview.toString()).isZero();
            Set<String> expected = new java.util.TreeSet<>(files.stream().map(f -> "restore ~/tree/" + f).toList());
            expected.add("restore ~/tree");
            Trees.folders(tree).forEach(f -> expected.add("restore ~/tree/" + f));
            assertThat(preview.events().stream().filter(e -> e.path("event").asText().equals("item"))
                    .map(e -> e.path("action").asText() + " " + e.path("path").asText()).collect(Collectors.toSet()))
                    .as("preview of computer 2: every file and folder, empty ones too").isEqualTo(expected);
            assertThat(two.home.resolve("tree")).as("preview changes nothing").doesNotExist();

            Computer.Result down = two.run("down", "--json");
            assertThat(down.exit()).as(down.toString()).isZero();
            Trees.assertIdentical(tree, two.home.resolve("tree"));

            Computer.Result check = two.run("check", "--read-data");
            assertThat(check.exit()).as(check.toString()).isZero();
            assertThat(check.out()).contains("No errors were found.");
        }
    }
}
