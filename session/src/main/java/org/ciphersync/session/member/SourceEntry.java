package org.ciphersync.session.member;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One data source a member selected (S6): a directory or a single file on that member's machine.
 * Only the owner adds or removes its entries; the others see them through the group channel.
 *
 * @param kind directory or file
 * @param path the path as the owner shows it (1..{@value #MAX_PATH_BYTES} UTF-8 bytes, no control characters)
 */
public record SourceEntry(Kind kind, String path) {
    /** Longest path accepted from anyone. */
    public static final int MAX_PATH_BYTES = 1024;
    /** Most sources one member may list. */
    public static final int MAX_PER_MEMBER = 32;

    public enum Kind { DIRECTORY, FILE }

    public SourceEntry {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(path, "path == null");
        int n = path.getBytes(StandardCharsets.UTF_8).length;
        if (n == 0 || n > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("source path is " + n + " bytes; expected 1.." + MAX_PATH_BYTES);
        }
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                throw new IllegalArgumentException("source path contains a control character at index " + i);
            }
        }
    }

    public static SourceEntry directory(String path) {
        return new SourceEntry(Kind.DIRECTORY, path);
    }

    public static SourceEntry file(String path) {
        return new SourceEntry(Kind.FILE, path);
    }

    @Override
    public String toString() {
        return (kind == Kind.DIRECTORY ? "dir " : "file ") + path;
    }
}
