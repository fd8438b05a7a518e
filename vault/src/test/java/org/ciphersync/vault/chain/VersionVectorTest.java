package org.ciphersync.vault.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.vault.chain.Versions.A;
import static org.ciphersync.vault.chain.Versions.B;
import static org.ciphersync.vault.chain.Versions.vv;

import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import org.junit.jupiter.api.Test;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ciphersync.vault.chain.VersionVector.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionVectorTest {

    @ParameterizedTest(name = "[{0}] vs [{1}] is {2}")
    @CsvSource({
            "'',        '',        EQUAL",
            "'A1',      '',        DOMINATES",
            "'',        'A1',      DOMINATED",
            "'A2',      'A1',      DOMINATES",
            "'A1 B1',   'A1',      DOMINATES",
            "'A1',      'B1',      CONCURRENT",
            "'A2 B1',   'A1 B2',   CONCURRENT",
            "'A2 B2',   'A2 B2',   EQUAL",
            "'A1 B3',   'A2 B3',   DOMINATED",
    })
    void compare_tableOfCases_matchesTheDefinition(String a, String b, Order expected) {
        assertThat(parse(a).compare(parse(b))).isEqualTo(expected);
    }

    @Test
    void with_lowerCounter_isRejected() {
        assertThatThrownBy(() -> vv(A, 3).with(A, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would go down from 3 to 2");
    }

    @Test
    void equalVectors_madeByWithMergeOrDecoding_shareOneInstance() {
        VersionVector a = VersionVector.EMPTY.with(A, 7);
        assertThat(VersionVector.EMPTY.with(A, 7)).isSameAs(a);
        assertThat(vv(A, 7).merge(VersionVector.EMPTY)).isSameAs(a);
        assertThat(VersionVector.of(Map.of(A, 7L))).isSameAs(a);
        assertThat(new VersionVector(new TreeMap<>(Map.of(A, 7L))).canonical()).isSameAs(a);
        assertThat(VersionVector.EMPTY.with(A, 8)).isNotSameAs(a).isNotEqualTo(a);
        assertThat(ComputerId.fromBytes(A.bytes())).isSameAs(ComputerId.of(A.hex()));
    }

    @Test
    void constructor_nonPositiveCounter_namesTheComputer() {
        assertThatThrownBy(() -> vv(A, 0)).hasMessageContaining("counter 0 of computer " + A);
    }

    @Property(tries = 200)
    void compare_isAntisymmetric(@ForAll("vectors") VersionVector a, @ForAll("vectors") VersionVector b) {
        Order ab = a.compare(b);
        Order ba = b.compare(a);
        switch (ab) {
            case EQUAL -> assertThat(ba).isEqualTo(Order.EQUAL);
            case CONCURRENT -> assertThat(ba).isEqualTo(Order.CONCURRENT);
            case DOMINATES -> assertThat(ba).isEqualTo(Order.DOMINATED);
            case DOMINATED -> assertThat(ba).isEqualTo(Order.DOMINATES);
        }
    }

    @Property(tries = 200)
    void merge_coversBothInputs(@ForAll("vectors") VersionVector a, @ForAll("vectors") VersionVector b) {
        VersionVector m = a.merge(b);
        assertThat(m.covers(a)).isTrue();
        assertThat(m.covers(b)).isTrue();
        assertThat(m).isEqualTo(b.merge(a));
    }

    @Provide
    Arbitrary<VersionVector> vectors() {
        return Arbitraries.maps(Arbitraries.of(Versions.A, Versions.B, Versions.C), Arbitraries.longs().between(1, 4))
                .ofMaxSize(3).map(VersionVector::of);
    }

    private static VersionVector parse(String s) {
        Map<ComputerId, Long> m = new TreeMap<>();
        for (String part : s.trim().split("\\s+")) {
            if (!part.isEmpty()) {
                m.put(part.charAt(0) == 'A' ? A : B, Long.parseLong(part.substring(1)));
            }
        }
        return VersionVector.of(m);
    }
}
