package org.ciphersync.crypto.secret;

import static org.assertj.core.api.Assertions.assertThat;

import org.ciphersync.crypto.secret.PasswordStrength.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordStrengthTest {
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "'', WEAK",
        "password, WEAK",
        "Password123!, WEAK",
        "qwerty, WEAK",
        "abcdefghijklmnop, WEAK",
        "aaaaaaaaaaaaaaaaaaaa, WEAK",
        "sunflower92x, FAIR",
        "k7#Qm2!xZp9w, STRONG",
        "correct horse battery staple, STRONG",
        "violet-anchor-mosaic-thirteen-lake, STRONG",
    })
    void estimate_classifiesExamples(String password, Level expected) {
        try (Password p = Password.of(password)) {
            assertThat(PasswordStrength.estimate(p).level()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"password1", "letmein", "12345678"})
    void estimate_commonPassword_saysWhyAndWhatToDo_withoutRepeatingIt(String common) {
        try (Password p = Password.of(common)) {
            PasswordStrength.Estimate e = PasswordStrength.estimate(p);
            assertThat(e.level()).isEqualTo(Level.WEAK);
            assertThat(e.message()).contains("most common").contains("random words").doesNotContain(common);
        }
    }

    @ParameterizedTest
    @CsvSource({"Xq7#pL2", "ab"})
    void estimate_shortPassword_isWeakAndSaysTheLength(String shortOne) {
        try (Password p = Password.of(shortOne)) {
            assertThat(PasswordStrength.estimate(p).message()).contains(shortOne.length() + " characters");
        }
    }
}
