package org.ciphersync.vault.store;

import java.util.Objects;

/**
 * The address of one object in a {@link BlobStore}: its {@link BlobType} and a name.
 *
 * <p>Names are validated strictly because they become file names and URL path segments on
 * every backend, and because names read back from a listing come from hostile storage:
 * <ul>
 *   <li>1 to {@value #MAX_LENGTH} characters of {@code [A-Za-z0-9._-]};</li>
 *   <li>MUST NOT start with {@code '.'} (such names are reserved for the temporary files of
 *       atomic saves, which listings therefore never report) nor with {@code '-'}
 *       (it would read as an option to command-line tools);</li>
 *   <li>{@link BlobType#PACK} names MUST be lowercase hex of at least two characters, since the
 *       first two characters pick the fan-out folder.</li>
 * </ul>
 *
 * @param type the kind of object, never null
 * @param name the validated name
 */
public record BlobName(BlobType type, String name) implements Comparable<BlobName> {

    /** Longest accepted name; a SHA-512 in hex (128) plus room for a suffix. */
    public static final int MAX_LENGTH = 160;

    public BlobName {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(name, "name == null");
        String problem = problem(type, name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Shorthand for {@code new BlobName(type, name)}. */
    public static BlobName of(BlobType type, String name) {
        return new BlobName(type, name);
    }

    /** Whether {@code name} is a valid name for {@code type}; used to skip foreign files in listings. */
    public static boolean isValid(BlobType type, String name) {
        return type != null && name != null && problem(type, name) == null;
    }

    private static String problem(BlobType type, String name) {
        if (name.isEmpty()) {
            return "blob name for " + type + " is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "blob name for " + type + " has " + name.length() + " characters, more than " + MAX_LENGTH;
        }
        char first = name.charAt(0);
        if (first == '.' || first == '-') {
            return "blob name '" + printable(name) + "' starts with '" + first + "'";
        }
        boolean hexOnly = type == BlobType.PACK;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            boolean allowed = hex || (c >= 'A' && c <= 'Z') || (c >= 'g' && c <= 'z') || c == '.' || c == '_' || c == '-';
            if (hexOnly ? !hex : !allowed) {
                return "blob name '" + printable(name) + "' has character " + describe(c) + " at index " + i
                        + (hexOnly ? "; pack names must be lowercase hex" : "; allowed are A-Z a-z 0-9 . _ -");
            }
        }
        if (hexOnly && name.length() < 2) {
            return "pack name '" + name + "' is shorter than 2 characters";
        }
        return null;
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static String printable(String name) {
        StringBuilder b = new StringBuilder();
        name.codePoints().limit(40).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f) {
                b.appendCodePoint(cp);
            } else {
                b.append('?');
            }
        });
        return name.length() > 40 ? b + "…" : b.toString();
    }

    /** The folder holding this blob relative to the vault root, e.g. {@code "data/ab"} or {@code "keys"}. */
    public String folder() {
        return type.fanOut() ? type.folder() + "/" + name.substring(0, 2) : type.folder();
    }

    /** The path of this blob relative to the vault root, always with {@code '/'}: {@code "data/ab/ab12…"}. */
    public String path() {
        return folder() + "/" + name;
    }

    @Override
    public int compareTo(BlobName other) {
        int byType = type.compareTo(other.type);
        return byType != 0 ? byType : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return type.folder() + "/" + name;
    }
}
