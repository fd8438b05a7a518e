package org.ciphersync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up cache's training run must keep working: a failing command would silently profile less. */
class TrainingTest {
    @Test
    void everyTrainingCommandSucceeds(@TempDir Path dir) throws Exception {
        assertThat(Training.run(dir)).isZero();
        assertThat(dir.resolve("dst/d9/sub0/file3.txt")).hasSameBinaryContentAs(dir.resolve("src/d9/sub0/file3.txt"));
        assertThat(Files.list(dir.resolve("restored")).count()).isPositive();
        // the session (leader with its embedded relay, and a member) mirrored the tree
        assertThat(dir.resolve("session-dst/big2.bin")).hasSameBinaryContentAs(dir.resolve("src/big2.bin"));
        assertThat(dir.resolve("session-dst/d9/sub0/file3.txt")).hasSameBinaryContentAs(dir.resolve("src/d9/sub0/file3.txt"));
    }
}
