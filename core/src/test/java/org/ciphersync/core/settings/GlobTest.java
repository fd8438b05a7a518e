package org.ciphersync.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ciphersync.core.path.RelPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The glob semantics table: pattern, path, whether the path is a directory, expected match. */
class GlobTest {

    @ParameterizedTest(name = "{0} on {1} (dir={2}) -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            *.tmp          | a.tmp            | false | true
            *.tmp          | x/y/a.tmp        | false | true
            *.tmp          | a.tmp/b          | false | false
            *.tmp          | atmp             | false | false
            build          | build            | true  | true
            build          | src/build        | true  | true
            /build         | build            | true  | true
            /build         | src/build        | true  | false
            src/build      | src/build        | true  | true
            src/build      | x/src/build      | true  | false
            cache/         | cache            | true  | true
            cache/         | cache            | false | false
            cache/         | a/cache          | true  | true
            **/logs        | logs             | true  | true
            **/logs        | a/b/logs         | true  | true
            a/**           | a/b              | false | true
            a/**           | a/b/c            | false | true
            a/**           | a                | true  | false
            a/**/b         | a/b              | false | true
            a/**/b         | a/x/y/b          | false | true
            a/**/b         | a/x/y/c          | false | false
            a/*/b          | a/x/b            | false | true
            a/*/b          | a/x/y/b          | false | false
            ?.txt          | a.txt            | false | true
            ?.txt          | ab.txt           | false | false
            [abc].txt      | b.txt            | false | true
            [abc].txt      | d.txt            | false | false
            [a-c]x         | bx               | false | true
            [!a-c]x        | dx               | false | true
            [!a-c]x        | bx               | false | false
            [^a-c]x        | bx               | false | false
            \\*.txt        | *.txt            | false | true
            \\*.txt        | a.txt            | false | false
            a.b            | aXb              | false | false
            (x)+           | (x)+             | false | true
            doc*           | documents/a      | true  | false
            doc*           | documents        | true  | true
            **             | anything/at/all  | false | true
            """)
    void table(String pattern, String path, boolean dir, boolean expected) {
        assertThat(Glob.compile(pattern, true).matches(RelPath.of(path), dir)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"README.MD", "readme.md", "ReadMe.Md"})
    void caseInsensitive_matchesAnyCase(String path) {
        assertThat(Glob.compile("readme.md", false).matches(RelPath.of(path), false)).isTrue();
        assertThat(Glob.compile("readme.md", true).matches(RelPath.of(path), false)).isEqualTo(path.equals("readme.md"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"caf\u00e9.txt", "cafe\u0301.txt"})
    void normalization_nfcAndNfdNamesMatchTheSamePattern(String path) {
        assertThat(Glob.compile("caf\u00e9.*", true).matches(RelPath.of(path), false)).isTrue();
        assertThat(Glob.compile("cafe\u0301.*", true).matches(RelPath.of(path), false)).isTrue();
    }

    @org.junit.jupiter.api.Test
    void negation_isParsedAndEscapable() {
        assertThat(Glob.compile("!keep.log", true).negated()).isTrue();
        Glob literal = Glob.compile("\\!bang", true);
        assertThat(literal.negated()).isFalse();
        assertThat(literal.matches(RelPath.of("!bang"), false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "[abc", "a//b", "x\\", "[z-a]"})
    void malformedPatterns_areRejectedNamingThePattern(String pattern) {
        assertThatThrownBy(() -> Glob.compile(pattern, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + pattern + "'");
    }

    @org.junit.jupiter.api.Test
    void aClass_neverMatchesTheSeparator() {
        assertThat(Glob.compile("a[!x]b", true).matches(RelPath.of("a/b"), false)).isFalse();
        assertThat(Glob.compile("a?b", true).matches(RelPath.of("a/b"), false)).isFalse();
        assertThat(Glob.compile("a*b", true).matches(RelPath.of("a/b"), false)).isFalse();
        // '/' always separates segments, so it cannot appear inside a class
        assertThatThrownBy(() -> Glob.compile("a[/x]b", true)).hasMessageContaining("unclosed '['");
    }
}
