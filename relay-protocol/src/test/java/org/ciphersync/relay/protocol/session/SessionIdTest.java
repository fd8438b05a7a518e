package org.ciphersync.relay.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SessionIdTest {

    @Test
    void toString_goldenValues_areGroupedCrockfordBase32() {
        assertThat(new SessionId(1)).hasToString("000-000-001");
        assertThat(new SessionId(SessionId.MAX_VALUE)).hasToString("ZZZ-ZZZ-ZZZ");
        assertThat(new SessionId(0x0123456789AL)).hasToString("028-T5C-Y4T");
    }

    @Property(tries = 300)
    void parse_ofToString_returnsTheSameId(@ForAll @LongRange(min = 1, max = SessionId.MAX_VALUE) long value) {
        SessionId id = new SessionId(value);
        assertThat(SessionId.parse(id.toString())).isEqualTo(id);
        assertThat(SessionId.parse(id.toString().toLowerCase().replace("-", " "))).isEqualTo(id);
    }

    @Test
    void parse_forgivesReadingMistakes_OasZeroAndIorLasOne() {
        assertThat(SessionId.parse("o1l-ioo-00i")).isEqualTo(SessionId.parse("011-100-001"));
        assertThat(SessionId.parse("028t5cy4t")).isEqualTo(new SessionId(0x0123456789AL));
    }

    @Test
    void parse_wrongLength_namesTheCount() {
        assertThatThrownBy(() -> SessionId.parse("ABC-DEF")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6 characters");
        assertThatThrownBy(() -> SessionId.parse("ABC-DEF-GHJK")).hasMessageContaining("more than 9");
    }

    @Test
    void parse_foreignCharacter_namesIt() {
        assertThatThrownBy(() -> SessionId.parse("ABC-DEF-GHU")).hasMessageContaining("'U'");
        assertThatThrownBy(() -> SessionId.parse("ABC-DEF-GH\u0000")).hasMessageContaining("\\u0000");
    }

    @Test
    void parse_reservedZeroAndNull_areRefused() {
        assertThatThrownBy(() -> SessionId.parse("000-000-000")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> SessionId.parse(null)).hasMessageContaining("null");
        assertThatThrownBy(() -> SessionId.parse("x".repeat(100))).hasMessageContaining("too long");
    }

    @Test
    void constructor_outOf45Bits_isRefused() {
        assertThatThrownBy(() -> new SessionId(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionId(SessionId.MAX_VALUE + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void random_drawsAtLeast40BitsAndNeverZero() {
        Random r = new SecureRandom();
        long or = 0;
        for (int i = 0; i < 2000; i++) {
            SessionId id = SessionId.random(r);
            assertThat(id.value()).isBetween(1L, SessionId.MAX_VALUE);
            or |= id.value();
        }
        assertThat(Long.bitCount(or)).as("bits seen set").isEqualTo(SessionId.BITS).isGreaterThanOrEqualTo(40);
    }

    @Test
    void random_withASourceThatYieldsZeroFirst_drawsAgain() {
        Random zeroThenOne = new Random() {
            private static final long serialVersionUID = 1L;
            private int calls;

            @Override
            public long nextLong() {
                return calls++ == 0 ? 0L : 1L;
            }
        };
        assertThat(SessionId.random(zeroThenOne).value()).isEqualTo(1L);
    }
}
