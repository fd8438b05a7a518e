package org.ciphersync.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.core.fs.MemoryFileTree.dir;
import static org.ciphersync.core.fs.MemoryFileTree.file;
import static org.ciphersync.core.fs.MemoryFileTree.symlink;

import java.io.IOException;
import org.ciphersync.core.fs.MemoryFileTree;
import org.ciphersync.core.path.RelPath;
import org.junit.jupiter.api.Test;

class TempCleanerTest {
    @Test
    void clean_removesLeftoverTemporaryFilesEverywhere_andNothingElse() throws IOException {
        MemoryFileTree t = MemoryFileTree.of(file(".ciphersync.tmp.1a2b", "partial"),
                dir("d", file(".ciphersync.tmp.ff", "partial"), file("keep", "k"), dir("locked").unreadable()),
                symlink("loop", "."), dir(".ciphersync", dir("state", file(".ciphersync.tmp.00", "{"))));
        assertThat(TempCleaner.clean(t)).isEqualTo(3);
        assertThat(t.snapshot().keySet()).extracting(RelPath::value)
                .containsExactlyInAnyOrder("d", "d/keep", "d/locked", "loop", ".ciphersync", ".ciphersync/state");
    }
}
