package org.ciphersync.core.path;

/** A path from a scan, a peer or a storage that is not an acceptable relative path. */
public final class InvalidPathException extends IllegalArgumentException {
    private final String path;

    public InvalidPathException(String path, String problem) {
        super("invalid path '" + printable(path) + "': " + problem);
        this.path = path;
    }

    public String path() {
        return path;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        int limit = Math.min(s.length(), 200);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        if (s.length() > limit) {
            b.append("…");
        }
        return b.toString();
    }
}
