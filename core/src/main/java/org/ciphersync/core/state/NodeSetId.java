package org.ciphersync.core.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * Identifies a set of folders synchronized together: the first 16 bytes (hex) of SHA-256 over
 * their sorted descriptions, so the order in which they are given does not matter and a folder
 * taking part in several sets keeps one state file per set.
 */
public final class NodeSetId {
    private NodeSetId() {
    }

    public static String of(List<String> rootDescriptions) {
        if (rootDescriptions.isEmpty()) {
            throw new IllegalArgumentException("a node set needs at least one root");
        }
        List<String> sorted = new ArrayList<>(rootDescriptions);
        Collections.sort(sorted);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : sorted) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                md.update((byte) (b.length >>> 24));
                md.update((byte) (b.length >>> 16));
                md.update((byte) (b.length >>> 8));
                md.update((byte) b.length);
                md.update(b);
            }
            byte[] h = md.digest();
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
