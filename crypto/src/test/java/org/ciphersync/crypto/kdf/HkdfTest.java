package org.ciphersync.crypto.kdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ciphersync.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

class HkdfTest {
    @Test
    void rfc5869_vectors_extractAndExpandGiveTheKnownAnswers() throws Exception {
        List<Map<String, String>> cases = Vectors.load("rfc5869-hkdf-sha256.txt");
        assertThat(cases).hasSize(3);
        for (Map<String, String> c : cases) {
            byte[] prk = Hkdf.extract(Vectors.hex(c, "salt"), Vectors.hex(c, "ikm"));
            assertThat(HexFormat.of().formatHex(prk)).as("PRK of %s", c.get("case")).isEqualTo(c.get("prk"));
            int len = Integer.parseInt(c.get("length"));
            byte[] okm = new byte[len];
            Hkdf.expand(prk, Vectors.hex(c, "info"), okm, 0, len);
            assertThat(HexFormat.of().formatHex(okm)).as("OKM of %s", c.get("case")).isEqualTo(c.get("okm"));
            assertThat(Hkdf.derive(Vectors.hex(c, "salt"), Vectors.hex(c, "ikm"), Vectors.hex(c, "info"), len))
                    .isEqualTo(okm);
        }
    }

    @Test
    void info_distinctLabelsAndContexts_giveDistinctInfoStrings() {
        Set<String> seen = new HashSet<>();
        for (KeyLabel label : KeyLabel.values()) {
            for (byte[] ctx : new byte[][] {new byte[0], {0}, {0, 0}, {1}, "x".getBytes()}) {
                assertThat(seen.add(HexFormat.of().formatHex(Hkdf.info(label, ctx))))
                        .as("info for %s/%s", label, HexFormat.of().formatHex(ctx)).isTrue();
            }
        }
    }

    @Test
    void deriveKey_differentLabels_giveDifferentKeys() {
        try (SecretBytes parent = SecretBytes.copyOf(new byte[32]);
             SecretBytes a = Hkdf.deriveKey(parent, KeyLabel.NAMESPACE_DATA, null);
             SecretBytes b = Hkdf.deriveKey(parent, KeyLabel.NAMESPACE_INDEX, null);
             SecretBytes a2 = Hkdf.deriveKey(parent, KeyLabel.NAMESPACE_DATA, new byte[0])) {
            assertThat(a.constantTimeEquals(b)).isFalse();
            assertThat(a.constantTimeEquals(a2)).as("null and empty context are the same context").isTrue();
            assertThat(a.length()).isEqualTo(32);
        }
    }

    @Test
    void expand_shortPrkOrHugeOutput_isRefusedWithTheCulprit() {
        assertThatThrownBy(() -> Hkdf.expand(new byte[16], null, new byte[32], 0, 32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prk length 16");
        assertThatThrownBy(() -> Hkdf.expand(new byte[32], null, new byte[9000], 0, 9000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9000");
        assertThatThrownBy(() -> Hkdf.info(KeyLabel.NAMESPACE, new byte[2000]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2000");
    }
}
