package org.ciphersync.crypto.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void secretBytes_toString_neverShowsTheBytes() {
        try (SecretBytes s = SecretBytes.copyOf("top-secret-key-material-32bytes!".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(s.toString()).isEqualTo("SecretBytes[32 bytes, redacted]").doesNotContain("top");
        }
    }

    @Test
    void secretBytes_close_wipesTheArrayAndRefusesLaterUse() {
        byte[] raw = {1, 2, 3, 4};
        SecretBytes s = SecretBytes.adopt(raw);
        s.close();
        assertThat(raw).containsOnly(0);
        assertThat(s.isWiped()).isTrue();
        assertThatThrownBy(s::expose).isInstanceOf(IllegalStateException.class).hasMessageContaining("wiped");
        s.close(); // idempotent
    }

    @Test
    void secretBytes_constantTimeEquals_comparesContents() {
        try (SecretBytes a = SecretBytes.copyOf(new byte[] {1, 2}); SecretBytes b = SecretBytes.copyOf(new byte[] {1, 2});
             SecretBytes c = SecretBytes.copyOf(new byte[] {1, 3})) {
            assertThat(a.constantTimeEquals(b)).isTrue();
            assertThat(a.constantTimeEquals(c)).isFalse();
            assertThat(a).isNotEqualTo(b); // no content equals: identity only
        }
    }

    @Test
    void password_toString_isRedacted_andCloseWipes() {
        char[] raw = "hunter2-but-longer".toCharArray();
        Password p = Password.adopt(raw);
        assertThat(p.toString()).isEqualTo("Password[redacted]");
        assertThat(String.valueOf(p)).doesNotContain("hunter");
        p.close();
        assertThat(raw).containsOnly('\0');
        assertThatThrownBy(p::expose).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void password_toUtf8Nfc_asciiIsPlainBytes_andAccentsAreNormalised() {
        try (Password ascii = Password.of("abc"); SecretBytes b = ascii.toUtf8Nfc()) {
            assertThat(b.expose()).containsExactly('a', 'b', 'c');
        }
        try (Password decomposed = Password.of("e\u0301"); SecretBytes b = decomposed.toUtf8Nfc()) {
            assertThat(b.expose()).containsExactly(0xc3, 0xa9);
        }
    }

    @Test
    void crockford_encodesBitsMostSignificantFirst() {
        assertThat(CrockfordBase32.encodeBits(new byte[] {(byte) 0xff, 0}, 10)).isEqualTo("ZW"); // 11111 11100
        assertThat(CrockfordBase32.encodeBits(new byte[] {(byte) 0x08, 0x42}, 15)).isEqualTo("111");
        assertThat(CrockfordBase32.group("ABCDEFGH", 4)).isEqualTo("ABCD-EFGH");
        assertThat(CrockfordBase32.decodeSymbol('o')).isZero();
        assertThat(CrockfordBase32.decodeSymbol('l')).isEqualTo(1);
        assertThat(CrockfordBase32.decodeSymbol('u')).isEqualTo(-1);
    }
}
