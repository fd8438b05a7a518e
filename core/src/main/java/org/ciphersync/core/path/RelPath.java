package org.ciphersync.core.path;

import java.text.Normalizer;
import java.util.Objects;

/**
 * A validated path relative to a data node's root, with {@code /} as separator.
 *
 * <p>Every path that enters the engine from a scan, a cache, a peer or a storage goes through
 * {@link #of(String)}, which rejects what could escape the root: absolute paths, {@code ..} and
 * {@code .} segments, empty segments, backslashes, NUL and other control characters, and
 * over-long paths. The empty path is the root itself ({@link #ROOT}).
 *
 * <p>Comparison is by the exact string (code points); case folding and Unicode normalization are
 * the comparison's business ({@link #matchKey(boolean)}).
 */
public record RelPath(String value) implements Comparable<RelPath> {
    /** Longest accepted path in UTF-16 units; deeper trees are reported as skipped. */
    public static final int MAX_LENGTH = 4096;
    /** Longest accepted single name. */
    public static final int MAX_NAME_LENGTH = 255;

    public static final RelPath ROOT = new RelPath("");

    public RelPath {
        Objects.requireNonNull(value, "value == null");
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidPathException(value, problem);
        }
    }

    /** Parses and validates; throws {@link InvalidPathException} naming the problem. */
    public static RelPath of(String value) {
        return new RelPath(value);
    }

    /** Returns why {@code value} is not an acceptable relative path, or null when it is. */
    public static String problem(String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_LENGTH) {
            return "path longer than " + MAX_LENGTH + " characters";
        }
        if (value.startsWith("/")) {
            return "absolute path";
        }
        if (value.endsWith("/")) {
            return "trailing separator";
        }
        // no copies: every path of every scan, cache and state file goes through here
        int start = 0;
        for (int end = value.indexOf('/'); ; end = value.indexOf('/', start)) {
            if (end < 0) {
                end = value.length();
            }
            int n = end - start;
            if (n == 0) {
                return "empty path segment";
            }
            if (value.charAt(start) == '.' && (n == 1 || n == 2 && value.charAt(start + 1) == '.')) {
                return "'" + value.substring(start, end) + "' segment";
            }
            if (n > MAX_NAME_LENGTH) {
                return "name longer than " + MAX_NAME_LENGTH + " characters";
            }
            for (int i = start; i < end; i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    return "control character in name";
                }
                if (c == '\\') {
                    return "backslash in name";
                }
            }
            if (end == value.length()) {
                break;
            }
            start = end + 1;
        }
        return null;
    }

    public boolean isRoot() {
        return value.isEmpty();
    }

    /** The last segment (the file or directory name); empty for the root. */
    public String name() {
        int i = value.lastIndexOf('/');
        return i < 0 ? value : value.substring(i + 1);
    }

    /** The parent directory, or null for the root. */
    public RelPath parent() {
        if (isRoot()) {
            return null;
        }
        int i = value.lastIndexOf('/');
        return i < 0 ? ROOT : new RelPath(value.substring(0, i));
    }

    public RelPath resolve(String name) {
        return new RelPath(isRoot() ? name : value + "/" + name);
    }

    public RelPath resolve(RelPath other) {
        if (other.isRoot()) {
            return this;
        }
        return new RelPath(isRoot() ? other.value : value + "/" + other.value);
    }

    /** Number of segments; 0 for the root. */
    public int depth() {
        if (isRoot()) {
            return 0;
        }
        int n = 1;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    public boolean startsWith(RelPath prefix) {
        return prefix.isRoot() || value.equals(prefix.value) || value.startsWith(prefix.value + "/");
    }

    /**
     * The key items are matched by across nodes: NFC-normalized, and case-folded unless
     * {@code caseSensitive}. Two paths with equal keys are the same item.
     */
    public String matchKey(boolean caseSensitive) {
        String n = Normalizer.normalize(value, Normalizer.Form.NFC);
        return caseSensitive ? n : n.toLowerCase(java.util.Locale.ROOT);
    }

    /** Orders like a depth-first walk: a directory sorts directly before its contents. */
    @Override
    public int compareTo(RelPath o) {
        String a = value, b = o.value;
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i), y = b.charAt(i);
            if (x != y) {
                if (x == '/') return -1;
                if (y == '/') return 1;
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    @Override
    public String toString() {
        return value;
    }
}
