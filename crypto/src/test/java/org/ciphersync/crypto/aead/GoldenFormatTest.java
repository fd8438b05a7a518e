package org.ciphersync.crypto.aead;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.ciphersync.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

/**
 * Pins the envelope and stream byte layouts to vectors computed independently (Python
 * "cryptography") from the written format: a change here is a format change.
 */
class GoldenFormatTest {
    private static final AeadContext CTX = AeadContext.vault("vault-1", "files", "chunk", new byte[] {1, 2}, 7);

    /** Hands out 0xa5 bytes, so the object salt is the one the vectors used. */
    @SuppressWarnings("serial")
    private static final class FixedRandom extends SecureRandom {
        @Override
        public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) 0xa5);
        }
    }

    private static SecretBytes parent() {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) i;
        }
        return SecretBytes.adopt(k);
    }

    private static Map<String, String> vector(String name) throws IOException {
        try (InputStream in = GoldenFormatTest.class.getResourceAsStream("/vectors/ciphersync-aead-v1.txt")) {
            Map<String, String> current = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                int eq = line.indexOf('=');
                String k = line.substring(0, eq).strip();
                String v = line.substring(eq + 1).strip();
                if (k.equals("case")) {
                    if (current != null) {
                        break;
                    }
                    if (v.equals(name)) {
                        current = new HashMap<>();
                    }
                } else if (current != null) {
                    current.put(k, v);
                }
            }
            return current;
        }
    }

    @Test
    void envelope_matchesTheIndependentVector_andOpensIt() throws Exception {
        Map<String, String> v = vector("envelope");
        byte[] plaintext = HexFormat.of().parseHex(v.get("plaintext"));
        byte[] expected = HexFormat.of().parseHex(v.get("sealed"));
        Envelope e = new Envelope(parent(), new FixedRandom());
        assertThat(HexFormat.of().formatHex(e.seal(CTX, plaintext))).isEqualTo(v.get("sealed"));
        assertThat(e.open(CTX, expected)).isEqualTo(plaintext);
    }

    @Test
    void stream_matchesTheIndependentVector_andOpensIt() throws Exception {
        Map<String, String> v = vector("stream-4096");
        byte[] plaintext = new byte[4096 + 10];
        for (int i = 0; i < plaintext.length; i++) {
            plaintext[i] = (byte) (i * 7);
        }
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (EncryptingOutputStream out = new EncryptingOutputStream(sink, new StreamSealer(parent(), CTX, 4096, new FixedRandom()))) {
            out.write(plaintext);
        }
        assertThat(HexFormat.of().formatHex(sink.toByteArray())).isEqualTo(v.get("sealed"));
        try (InputStream in = new DecryptingInputStream(new java.io.ByteArrayInputStream(HexFormat.of().parseHex(v.get("sealed"))),
                parent(), CTX)) {
            assertThat(in.readAllBytes()).isEqualTo(plaintext);
        }
    }
}
