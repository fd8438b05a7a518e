package org.ciphersync.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.core.fs.MemoryFileTree.dir;
import static org.ciphersync.core.fs.MemoryFileTree.file;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.ciphersync.core.fs.MemoryFileTree;
import org.ciphersync.core.path.RelPath;
import org.junit.jupiter.api.Test;

class VersionsAreaTest {
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void keep_movesTheFileUnderItsPathWithTheTime() throws IOException {
        MemoryFileTree t = MemoryFileTree.of(dir("docs", file("a.txt", "old")));
        RelPath v = VersionsArea.keep(t, RelPath.of("docs/a.txt"), NOW);
        assertThat(v.value()).isEqualTo(".ciphersync/versions/docs/a.txt~20261121-120000");
        assertThat(t.readString(v.value())).isEqualTo("old");
        assertThat(t.stat(RelPath.of("docs/a.txt"))).isEmpty();
    }

    @Test
    void keep_twiceInOneSecond_neverOverwritesAVersion() throws IOException {
        MemoryFileTree t = MemoryFileTree.of(file("a", "1"));
        VersionsArea.keep(t, RelPath.of("a"), NOW);
        t.write("a", "2");
        RelPath second = VersionsArea.keep(t, RelPath.of("a"), NOW);
        assertThat(second.value()).endsWith("~20261121-120000-2");
        assertThat(t.readString(".ciphersync/versions/a~20261121-120000")).isEqualTo("1");
        assertThat(t.readString(second.value())).isEqualTo("2");
    }

    @Test
    void keep_ofADirectory_movesItWhole() throws IOException {
        MemoryFileTree t = MemoryFileTree.of(dir("d", file("x", "x")));
        RelPath v = VersionsArea.keep(t, RelPath.of("d"), NOW);
        assertThat(t.readString(v.value() + "/x")).isEqualTo("x");
    }

    @Test
    void veryLongPath_goesToTheLongArea() {
        RelPath deep = RelPath.of(("d".repeat(202) + "/").repeat(20) + "f");
        assertThat(VersionsArea.versionPath(deep, NOW, 1).value()).startsWith(".ciphersync/versions/~long/");
        RelPath longName = RelPath.of("n".repeat(250));
        assertThat(VersionsArea.versionPath(longName, NOW, 1).value()).startsWith(".ciphersync/versions/~long/");
    }

    @Test
    void prune_deletesOnlyVersionsOlderThanTheRetention_andEmptyFolders() throws IOException {
        MemoryFileTree t = MemoryFileTree.of(dir("old", file("a", "1")), file("recent", "2"));
        VersionsArea.keep(t, RelPath.of("old/a"), NOW.minus(Duration.ofDays(40)));
        VersionsArea.keep(t, RelPath.of("recent"), NOW.minus(Duration.ofDays(1)));
        assertThat(VersionsArea.prune(t, Duration.ofDays(30), NOW)).isEqualTo(1);
        assertThat(t.stat(RelPath.of(".ciphersync/versions/old"))).isEmpty();
        assertThat(t.readString(".ciphersync/versions/recent~20261120-120000")).isEqualTo("2");
    }

    @Test
    void keptAt_parsesTheNameOrNothing() {
        assertThat(VersionsArea.keptAt("a~20261121-120000")).isEqualTo(NOW);
        assertThat(VersionsArea.keptAt("a~20261121-120000-3")).isEqualTo(NOW);
        assertThat(VersionsArea.keptAt("a~2026")).isNull();
        assertThat(VersionsArea.keptAt("a~20261399-999999")).isNull();
    }
}
