package org.ciphersync.crypto.kdf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the known-answer files under {@code src/test/resources/vectors}: "key = value" blocks separated by blank lines. */
final class Vectors {
    private Vectors() {
    }

    static List<Map<String, String>> load(String resource) throws IOException {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + resource)) {
            if (in == null) {
                throw new IOException("missing test resource /vectors/" + resource);
            }
            List<Map<String, String>> cases = new ArrayList<>();
            Map<String, String> current = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (t.startsWith("#")) {
                    continue;
                }
                if (t.isEmpty()) {
                    if (!current.isEmpty()) {
                        cases.add(current);
                        current = new LinkedHashMap<>();
                    }
                    continue;
                }
                int eq = t.indexOf('=');
                current.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
            }
            if (!current.isEmpty()) {
                cases.add(current);
            }
            return cases;
        }
    }

    static byte[] hex(Map<String, String> c, String key) {
        return HexFormat.of().parseHex(c.get(key));
    }
}
