package org.ciphersync.core.settings;

import java.text.Normalizer;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.ciphersync.core.path.RelPath;

/**
 * One gitignore-like glob over relative paths.
 *
 * <ul>
 *   <li>{@code *} matches any run of characters within one name (never {@code /});
 *       {@code ?} one character within a name; {@code [abc]}, {@code [a-z]}, {@code [!a-z]}
 *       (or {@code [^a-z]}) a class; {@code \} escapes the next character.</li>
 *   <li>{@code **} as a whole segment matches zero or more names: {@code **}{@code /x}
 *       is {@code x} at any depth, {@code a/**} everything below {@code a},
 *       {@code a/**}{@code /b} is {@code a/b}, {@code a/x/b}, {@code a/x/y/b}, …</li>
 *   <li>A pattern without {@code /} (other than a trailing one) matches the name at any depth
 *       ({@code *.tmp} matches {@code a/b/c.tmp}). A pattern containing {@code /} is anchored
 *       at the node root; a leading {@code /} only anchors ({@code /build} is the top-level
 *       {@code build} only).</li>
 *   <li>A trailing {@code /} matches directories only ({@code cache/}).</li>
 *   <li>A leading {@code !} negates (see {@link PathFilter} for how rules combine); write
 *       {@code \!} for a name that starts with {@code !}.</li>
 * </ul>
 * Patterns and paths are compared after NFC normalization; case-insensitively when asked.
 */
public final class Glob {
    private final String text;
    private final boolean negated;
    private final boolean directoryOnly;
    private final Pattern regex;

    private Glob(String text, boolean negated, boolean directoryOnly, Pattern regex) {
        this.text = text;
        this.negated = negated;
        this.directoryOnly = directoryOnly;
        this.regex = regex;
    }

    /**
     * Compiles {@code pattern}; throws {@link IllegalArgumentException} naming the pattern when
     * it is empty or malformed (an unclosed {@code [}).
     */
    public static Glob compile(String pattern, boolean caseSensitive) {
        Objects.requireNonNull(pattern, "pattern == null");
        String p = Normalizer.normalize(pattern, Normalizer.Form.NFC);
        boolean negated = false;
        if (p.startsWith("!")) {
            negated = true;
            p = p.substring(1);
        }
        boolean dirOnly = false;
        while (p.endsWith("/") && !p.endsWith("\\/")) {
            dirOnly = true;
            p = p.substring(0, p.length() - 1);
        }
        boolean anchored = p.indexOf('/') >= 0;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("empty glob pattern '" + pattern + "'");
        }
        StringBuilder re = new StringBuilder();
        if (!anchored) {
            re.append("(?:.*/)?");
        }
        String[] segments = p.split("/", -1);
        for (int s = 0; s < segments.length; s++) {
            String seg = segments[s];
            boolean last = s == segments.length - 1;
            if (seg.equals("**")) {
                if (last) {
                    // "a/**": everything below a (not a itself)
                    if (s == 0) {
                        re.append(".*");
                    } else {
                        re.append(".+");
                    }
                } else {
                    re.append("(?:[^/]*/)*");
                }
                continue;
            }
            if (seg.isEmpty()) {
                throw new IllegalArgumentException("empty segment in glob pattern '" + pattern + "'");
            }
            appendSegment(re, seg, pattern);
            if (!last) {
                re.append('/');
            }
        }
        int flags = caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        try {
            return new Glob(pattern, negated, dirOnly, Pattern.compile(re.toString(), flags));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("malformed glob pattern '" + pattern + "': " + e.getDescription(), e);
        }
    }

    private static void appendSegment(StringBuilder re, String seg, String pattern) {
        int i = 0;
        while (i < seg.length()) {
            char c = seg.charAt(i);
            switch (c) {
                case '*' -> {
                    while (i + 1 < seg.length() && seg.charAt(i + 1) == '*') {
                        i++; // "a**b" within a segment is the same as "a*b"
                    }
                    re.append("[^/]*");
                }
                case '?' -> re.append("[^/]");
                case '\\' -> {
                    if (i + 1 >= seg.length()) {
                        throw new IllegalArgumentException("glob pattern '" + pattern + "' ends with an escape '\\'");
                    }
                    i++;
                    re.append(Pattern.quote(String.valueOf(seg.charAt(i))));
                }
                case '[' -> {
                    int close = classEnd(seg, i);
                    if (close < 0) {
                        throw new IllegalArgumentException("unclosed '[' in glob pattern '" + pattern + "'");
                    }
                    re.append('[');
                    int j = i + 1;
                    boolean negatedClass = seg.charAt(j) == '!' || seg.charAt(j) == '^';
                    if (negatedClass) {
                        re.append('^');
                        j++;
                    }
                    int first = j;
                    for (; j < close; j++) {
                        char k = seg.charAt(j);
                        if (k == '\\' && j + 1 < close) {
                            j++;
                            k = seg.charAt(j);
                        } else if (k == '-' && j > first && j + 1 < close) {
                            re.append('-');
                            continue;
                        }
                        if (Character.isLetterOrDigit(k)) {
                            re.append(k);
                        } else if (k != '/') {
                            re.append('\\').append(k);
                        }
                    }
                    if (negatedClass) {
                        re.append("/"); // a class never matches the separator
                    }
                    re.append(']');
                    i = close;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
    }

    /** Index of the ']' closing the class opened at {@code open}, or -1. */
    private static int classEnd(String seg, int open) {
        int j = open + 1;
        if (j < seg.length() && (seg.charAt(j) == '!' || seg.charAt(j) == '^')) {
            j++;
        }
        if (j < seg.length() && seg.charAt(j) == ']') {
            j++; // "[]]" contains ']'
        }
        for (; j < seg.length(); j++) {
            if (seg.charAt(j) == '\\') {
                j++;
            } else if (seg.charAt(j) == ']') {
                return j;
            }
        }
        return -1;
    }

    /** Whether the pattern (ignoring its negation) matches {@code path}. */
    public boolean matches(RelPath path, boolean isDirectory) {
        if (directoryOnly && !isDirectory) {
            return false;
        }
        return regex.matcher(Normalizer.normalize(path.value(), Normalizer.Form.NFC)).matches();
    }

    public boolean negated() {
        return negated;
    }

    public boolean directoryOnly() {
        return directoryOnly;
    }

    /** The pattern as written. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
