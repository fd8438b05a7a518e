package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restore is made durable by one file-system synchronization, else by forcing each file. */
class DurabilityTest {
    @TempDir
    Path tmp;

    @Test
    void theFileSystemOfAFolder_isSynchronizedWithSync() {
        assertThat(Durability.syncFileSystem(tmp)).as("sync -f (coreutils) on this machine").isTrue();
        assertThat(Durability.syncFileSystem(tmp.resolve("missing"))).isFalse();
    }

    @Test
    void whenTheFileSystemCannotBeSynchronized_eachFileIsForced_andAMissingOneIsAnError() throws IOException {
        Path f = Files.writeString(tmp.resolve("f.txt"), "content");
        Path folder = Files.createDirectories(tmp.resolve("d"));
        Path link = Files.createSymbolicLink(tmp.resolve("l"), tmp.resolve("gone"));
        Durability.flush(tmp.resolve("missing"), List.of(f, folder, link)); // falls back to forcing f; the folder and link are passed over
        assertThatThrownBy(() -> Durability.flush(tmp.resolve("missing"), List.of(tmp.resolve("gone.txt"))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void writeback_startsASynchronizationEveryThresholdOfBytes_andCloseWaitsForIt() throws IOException {
        Files.writeString(tmp.resolve("f.txt"), "content");
        try (Durability.Writeback wb = new Durability.Writeback(tmp, 100)) {
            wb.written(60);
            assertThat(wb.starts()).as("below the threshold").isZero();
            wb.written(40);
            assertThat(wb.starts()).isEqualTo(1);
            wb.close(); // waits for the running synchronization
            wb.written(99);
            assertThat(wb.starts()).as("the count starts again after each start").isEqualTo(1);
            wb.written(1);
            assertThat(wb.starts()).isEqualTo(2);
        }
    }

    @Test
    void writeback_ofAMissingFolder_failsQuietly_theFinalFlushDecides() throws IOException {
        try (Durability.Writeback wb = new Durability.Writeback(tmp.resolve("missing"), 1)) {
            wb.written(10);
            wb.close();
            assertThat(wb.starts()).isEqualTo(1);
        }
        assertThatThrownBy(() -> Durability.flush(tmp.resolve("missing"), List.of(tmp.resolve("gone.txt"))))
                .isInstanceOf(IOException.class);
    }
}
