package org.ciphersync.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConflictNamesTest {
    static final long T = 1_735_689_599_000_000_000L; // 2024-12-31T23:59:59Z

    @Test
    void name_keepsTheExtension_andNamesNodeAndTime() {
        assertThat(ConflictNames.of("report.pdf", "B", T, 1)).isEqualTo("report.conflict-B-20241231-235959.pdf");
    }

    @Test
    void hiddenFile_hasNoExtension() {
        assertThat(ConflictNames.of(".bashrc", "C", T, 1)).isEqualTo(".bashrc.conflict-C-20241231-235959");
    }

    @Test
    void secondAttempt_isNumbered() {
        assertThat(ConflictNames.of("a", "A", T, 2)).isEqualTo("a.conflict-A-20241231-235959-2");
    }

    @Test
    void longName_isShortenedToFit255() {
        String name = "x".repeat(250) + ".txt";
        String c = ConflictNames.of(name, "A", T, 1);
        assertThat(c).hasSizeLessThanOrEqualTo(255).endsWith(".conflict-A-20241231-235959.txt");
    }
}
