package org.ciphersync.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.path.RelPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathFilterTest {
    private static final SyncSettings NONE = SyncSettings.defaults();

    static boolean excluded(PathFilter f, String path, boolean dir) {
        RelPath p = RelPath.of(path);
        return f.excludes(p.name(), p, dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {".DS_Store", "Thumbs.db", "THUMBS.DB", "desktop.ini", "._photo.jpg", ".Spotlight-V100",
        ".Trashes", "$RECYCLE.BIN", "System Volume Information", "~$report.docx", ".~lock.report.odt#",
        ".notes.txt.swp", ".directory", "ehthumbs.db", ".Trash-1000", ".nfs000000001", ".#draft.org", "Icon\r"})
    void systemFiles_areExcludedByDefault(String name) {
        assertThat(SystemFiles.isSystemName(name)).isTrue();
        PathFilter f = PathFilter.of(NONE, List.of(), true);
        assertThat(f.excludes(name, null, false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"notes.txt", "backup~", "file.bak", "._", "~$", ".swp", "Thumbs.db.txt", "desktop.ini.old",
        ".gitignore", "swap.swp"})
    void ordinaryNames_areNotSystemFiles(String name) {
        assertThat(SystemFiles.isSystemName(name)).isFalse();
    }

    @Test
    void systemFiles_areKeptWhenTheSettingIsOff() {
        SyncSettings s = new SyncSettings(NONE.items(), NONE.matching(), NONE.caseSensitivity(), NONE.analysis(),
                false, false, List.of(), List.of(), null);
        assertThat(excluded(PathFilter.of(s, List.of(), true), "a/.DS_Store", false)).isFalse();
    }

    @Test
    void hiddenNames_areExcludedOnlyWhenAsked() {
        assertThat(excluded(PathFilter.of(NONE, List.of(), true), "a/.config", true)).isFalse();
        assertThat(excluded(PathFilter.of(NONE.withExcludeHidden(true), List.of(), true), "a/.config", true)).isTrue();
    }

    @Test
    void excludeGlobs_thenIgnoreFileLines_lastMatchWins() {
        PathFilter f = PathFilter.of(NONE.withExcludeGlobs(List.of("*.log")),
                List.of("# comment", "", "!keep.log", "build/", "   ", "/top.txt  "), true);
        assertThat(excluded(f, "x/debug.log", false)).isTrue();
        assertThat(excluded(f, "x/keep.log", false)).isFalse();
        assertThat(excluded(f, "a/build", true)).isTrue();
        assertThat(excluded(f, "a/build", false)).isFalse();
        assertThat(excluded(f, "top.txt", false)).isTrue();
        assertThat(excluded(f, "sub/top.txt", false)).isFalse();
        assertThat(excluded(f, "# comment", false)).isFalse();
    }

    @Test
    void ignoreRule_handlesCommentsEscapesAndTrailingSpace() {
        assertThat(PathFilter.ignoreRule("# note")).isNull();
        assertThat(PathFilter.ignoreRule("   ")).isNull();
        assertThat(PathFilter.ignoreRule("\\#hash")).isEqualTo("#hash");
        assertThat(PathFilter.ignoreRule("a.txt  \r")).isEqualTo("a.txt");
        assertThat(PathFilter.ignoreRule("a\\ ")).isEqualTo("a\\ ");
    }

    @Test
    void includeGlobs_selectFilesOnly() {
        PathFilter f = PathFilter.of(NONE.withIncludeGlobs(List.of("*.jpg", "docs/")), List.of(), true);
        assertThat(f.hasIncludes()).isTrue();
        assertThat(f.includesFile(RelPath.of("a/b.jpg"))).isTrue();
        assertThat(f.includesFile(RelPath.of("a/b.png"))).isFalse();
        assertThat(f.includesDirectory(RelPath.of("x/docs"))).isTrue();
        assertThat(excluded(f, "a", true)).as("directories are still walked").isFalse();
    }

    @Test
    void includeGlobs_areCaseInsensitiveOnInsensitiveSessions() {
        PathFilter f = PathFilter.of(NONE.withIncludeGlobs(List.of("*.jpg")), List.of(), false);
        assertThat(f.includesFile(RelPath.of("IMG.JPG"))).isTrue();
    }

    @Test
    void malformedGlob_isReportedWithItsOrigin() {
        assertThatThrownBy(() -> PathFilter.of(NONE, List.of("ok", "[broken"), true))
                .hasMessageContaining("ignore file line 2").hasMessageContaining("[broken");
        assertThatThrownBy(() -> PathFilter.of(NONE.withIncludeGlobs(List.of("!x")), List.of(), true))
                .hasMessageContaining("include glob '!x'");
    }

    @Test
    void items_decideWhichKindsAreReported() {
        PathFilter files = PathFilter.of(NONE.withItems(SyncSettings.ItemKinds.FILES), List.of(), true);
        PathFilter dirs = PathFilter.of(NONE.withItems(SyncSettings.ItemKinds.DIRECTORIES), List.of(), true);
        assertThat(files.reports(EntryType.FILE)).isTrue();
        assertThat(files.reports(EntryType.DIRECTORY)).isFalse();
        assertThat(dirs.reports(EntryType.DIRECTORY)).isTrue();
        assertThat(dirs.reports(EntryType.FILE)).isFalse();
    }
}
