package org.ciphersync.crypto.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ciphersync.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

class KeyedHasherTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @Test
    void hash_isHmacSha256OfTheContent_notPlainSha256() throws Exception {
        byte[] data = "the content of a chunk".getBytes();
        try (SecretBytes k = SecretBytes.copyOf(KEY)) {
            byte[] id = new KeyedHasher(k).hash(data);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            assertThat(id).isEqualTo(mac.doFinal(data));
            assertThat(id).isNotEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    @Test
    void hash_underAnotherKey_givesAnotherId_soStorageCannotConfirmAKnownFile() {
        byte[] data = "well-known file".getBytes();
        byte[] other = KEY.clone();
        other[0] ^= 1;
        try (SecretBytes a = SecretBytes.copyOf(KEY); SecretBytes b = SecretBytes.copyOf(other)) {
            assertThat(new KeyedHasher(a).hash(data)).isNotEqualTo(new KeyedHasher(b).hash(data));
        }
    }

    @Test
    void incrementalAndBufferForms_agreeWithOneShot_andTheHasherIsReusable() {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        try (SecretBytes k = SecretBytes.copyOf(KEY)) {
            KeyedHasher h = new KeyedHasher(k);
            byte[] oneShot = h.hash(data);
            h.update(data, 0, 40_000);
            h.update(data, 40_000, 60_000);
            byte[] out = new byte[40];
            h.finishInto(out, 8);
            assertThat(java.util.Arrays.copyOfRange(out, 8, 40)).isEqualTo(oneShot);
            byte[] into = new byte[32];
            h.hashInto(data, 0, data.length, into, 0);
            assertThat(into).isEqualTo(oneShot);
        }
    }
}
