package org.ciphersync.cli.local;

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

/**
 * {@code ciphersync local} as a separate process from the packaged distribution, run by a user
 * without root's power to read and write past permissions (as most people run it).
 */
class LocalCommandIT {
    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void anUnreadableSourceFile_isListedWithItsReason_exits1_andItsCopyOnTheTargetIsKept() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(a.resolve("readable.txt"), "for everyone");
        Files.writeString(a.resolve("secret.txt"), "A's newer secret");
        Files.writeString(b.resolve("secret.txt"), "B's copy");
        CliProcess.handOver(a, b, home);
        Files.setPosixFilePermissions(a.resolve("secret.txt"), PosixFilePermissions.fromString("---------"));

        CliProcess run = CliProcess.unprivileged(home, processes, "local", a.toString(), b.toString(),
                "--preset", "mirror", "--checksum", "--json");
        JsonNode skipped = run.awaitEvent("skipped", n -> true);
        assertThat(skipped.get("path").asText()).isEqualTo("secret.txt");
        assertThat(skipped.get("reason").asText()).isEqualTo("unreadable");
        assertThat(run.awaitEvent("summary", n -> true).get("complete").asBoolean()).isFalse();
        assertThat(run.exit()).as("not everything was synchronized").isEqualTo(1);
        assertThat(Files.readString(b.resolve("readable.txt"))).isEqualTo("for everyone");
        assertThat(Files.readString(b.resolve("secret.txt"))).as("kept, not deleted as missing on A").isEqualTo("B's copy");
    }

    @Test
    void aReadOnlySourceFolder_isCopiedWithItsMode() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(a.resolve("archive"));
        Files.writeString(a.resolve("archive/photo.txt"), "a photo");
        CliProcess.handOver(a, b, home);
        Files.setPosixFilePermissions(a.resolve("archive"), PosixFilePermissions.fromString("r-xr-xr-x"));

        CliProcess run = CliProcess.unprivileged(home, processes, "local", a.toString(), b.toString(),
                "--preset", "mirror", "--force", "--json");
        assertThat(run.awaitEvent("summary", n -> true).get("failed").asInt()).isZero();
        assertThat(run.exit()).isZero();
        assertThat(Files.readString(b.resolve("archive/photo.txt"))).isEqualTo("a photo");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("archive")))).isEqualTo("r-xr-xr-x");
    }
}
