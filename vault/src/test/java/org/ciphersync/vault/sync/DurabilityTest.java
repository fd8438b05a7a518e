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
        Durability.flush(tmp.resolve("missing"), List.of(f)); // falls back to forcing f
        assertThatThrownBy(() -> Durability.flush(tmp.resolve("missing"), List.of(tmp.resolve("gone.txt"))))
                .isInstanceOf(IOException.class);
    }
}
