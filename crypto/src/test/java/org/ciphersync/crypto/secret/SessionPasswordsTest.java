package org.ciphersync.crypto.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SessionPasswordsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void generate_isThreeGroupsOfFourCrockfordSymbols_carryingAtLeast50Bits() {
        try (Password p = SessionPasswords.generate(RANDOM)) {
            assertThat(new String(p.expose())).matches("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}");
            assertThat(SessionPasswords.isWellFormed(p)).isTrue();
        }
        assertThat(SessionPasswords.BITS).isGreaterThanOrEqualTo(50);
    }

    @Test
    void generate_manyPasswords_areAllDifferent() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            try (Password p = SessionPasswords.generate(RANDOM)) {
                assertThat(seen.add(new String(p.expose()))).isTrue();
            }
        }
    }

    @Test
    void canonicalize_lowerCaseSpacesAndLookalikes_giveTheSameCanonicalForm() {
        try (Password a = SessionPasswords.canonicalize(Password.of("7KQ3-M9XD-2HP0"));
             Password b = SessionPasswords.canonicalize(Password.of(" 7kq3 m9xd 2hpo "))) {
            assertThat(new String(a.expose())).isEqualTo("7KQ3M9XD2HP0");
            assertThat(new String(b.expose())).isEqualTo("7KQ3M9XD2HP0");
        }
        try (Password c = SessionPasswords.canonicalize(Password.of("ilIL"))) {
            assertThat(new String(c.expose())).isEqualTo("1111");
        }
    }

    @Test
    void isWellFormed_wrongLengthOrForeignSymbols_isFalse() {
        assertThat(SessionPasswords.isWellFormed(Password.of("7KQ3-M9XD"))).isFalse();
        assertThat(SessionPasswords.isWellFormed(Password.of("7KQ3-M9XD-2HP!"))).isFalse();
        assertThat(SessionPasswords.isWellFormed(Password.of("7kq3m9xd2hpu"))).isFalse();
    }

    @Property(tries = 200)
    void canonicalize_ofAGeneratedPassword_isStableUnderLowerCasing(@ForAll long seed) {
        SecureRandom r = new SecureRandom();
        r.setSeed(seed);
        try (Password p = SessionPasswords.generate(r);
             Password lower = Password.of(new String(p.expose()).toLowerCase());
             Password a = SessionPasswords.canonicalize(p);
             Password b = SessionPasswords.canonicalize(lower)) {
            assertThat(b.expose()).containsExactly(a.expose());
        }
    }
}
