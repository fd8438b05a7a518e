package org.ciphersync.core.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.path.RelPath;

/**
 * Decides which entries of a node take part, from {@link SyncSettings} (S7) and the node's
 * ignore file. Pure and immutable; the scan asks it once per entry, before descending.
 *
 * <p>Order of the checks for an entry:
 * <ol>
 *   <li>system and noise files ({@link SystemFiles}) when {@code excludeSystemFiles};</li>
 *   <li>hidden names (starting with {@code .}) when {@code excludeHidden};</li>
 *   <li>exclude rules: the settings' {@code excludeGlobs} first, then the ignore file's lines,
 *       evaluated in order, the last matching rule wins; a {@code !pattern} rule re-includes
 *       (like gitignore). An excluded directory is not descended, so nothing below it can be
 *       re-included;</li>
 *   <li>include globs, for files only: when any are given, a file takes part only when one
 *       matches (directories are always descended; the scan drops directories that end up
 *       holding no included file, unless a directory matches an include glob itself).</li>
 * </ol>
 * {@link SyncSettings#items()} does not exclude anything from the walk; it only says which
 * kinds are reported ({@link #reports(EntryType)}).
 */
public final class PathFilter {
    /** Longest ignore file read, in bytes; longer ones are refused with a message. */
    public static final int MAX_IGNORE_FILE_BYTES = 1 << 20;

    private final SyncSettings settings;
    private final List<Glob> excludes;
    private final List<Glob> includes;

    private PathFilter(SyncSettings settings, List<Glob> excludes, List<Glob> includes) {
        this.settings = settings;
        this.excludes = List.copyOf(excludes);
        this.includes = List.copyOf(includes);
    }

    /**
     * The filter for one node.
     *
     * @param ignoreFileLines the lines of the node's ignore file (empty when it has none)
     * @param caseSensitive   whether globs match case-sensitively (the session's effective setting)
     * @throws IllegalArgumentException naming the first malformed glob and where it came from
     */
    public static PathFilter of(SyncSettings settings, List<String> ignoreFileLines, boolean caseSensitive) {
        Objects.requireNonNull(settings, "settings == null");
        List<Glob> ex = new ArrayList<>();
        for (String g : settings.excludeGlobs()) {
            ex.add(compile(g, caseSensitive, "exclude glob"));
        }
        int lineNo = 0;
        for (String line : ignoreFileLines) {
            lineNo++;
            String rule = ignoreRule(line);
            if (rule != null) {
                ex.add(compile(rule, caseSensitive, "ignore file line " + lineNo));
            }
        }
        List<Glob> in = new ArrayList<>();
        for (String g : settings.includeGlobs()) {
            Glob glob = compile(g, caseSensitive, "include glob");
            if (glob.negated()) {
                throw new IllegalArgumentException("include glob '" + g + "' cannot be negated; use an exclude glob");
            }
            in.add(glob);
        }
        return new PathFilter(settings, ex, in);
    }

    /** A filter that lets everything through (no settings-based exclusion at all). */
    public static PathFilter all() {
        SyncSettings s = SyncSettings.defaults();
        return new PathFilter(new SyncSettings(s.items(), s.matching(), s.caseSensitivity(), s.analysis(),
                false, false, List.of(), List.of(), null), List.of(), List.of());
    }

    /**
     * The rule on one ignore-file line, or null for blank lines and {@code #} comments.
     * Trailing spaces are removed unless escaped with {@code \}; {@code \#} starts a rule with
     * {@code #}.
     */
    static String ignoreRule(String line) {
        String l = line;
        if (l.endsWith("\r")) {
            l = l.substring(0, l.length() - 1);
        }
        int end = l.length();
        while (end > 0 && (l.charAt(end - 1) == ' ' || l.charAt(end - 1) == '\t')
                && !(end >= 2 && l.charAt(end - 2) == '\\')) {
            end--;
        }
        l = l.substring(0, end);
        if (l.isEmpty() || l.startsWith("#")) {
            return null;
        }
        if (l.startsWith("\\#")) {
            l = l.substring(1);
        }
        return l;
    }

    private static Glob compile(String g, boolean caseSensitive, String origin) {
        try {
            return Glob.compile(g, caseSensitive);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the entry is left out (and, for a directory, not descended). {@code name} is the
     * last segment as listed; it is checked against the system list even when it is not a valid
     * {@link RelPath} name (macOS {@code Icon\r}), so pass {@code path == null} in that case.
     */
    public boolean excludes(String name, RelPath path, boolean isDirectory) {
        if (settings.excludeSystemFiles() && SystemFiles.isSystemName(name)) {
            return true;
        }
        if (settings.excludeHidden() && name.startsWith(".")) {
            return true;
        }
        if (path == null) {
            return false;
        }
        boolean excluded = false;
        for (Glob g : excludes) {
            if (g.negated() == excluded && g.matches(path, isDirectory)) {
                excluded = !g.negated();
            }
        }
        return excluded;
    }

    /** Whether an include glob lets the file take part (always true without include globs). */
    public boolean includesFile(RelPath file) {
        return includes.isEmpty() || matchesInclude(file, false);
    }

    /** Whether include globs are in force (then directories are kept only around included files). */
    public boolean hasIncludes() {
        return !includes.isEmpty();
    }

    /** Whether a directory matches an include glob itself. */
    public boolean includesDirectory(RelPath dir) {
        return includes.isEmpty() || matchesInclude(dir, true);
    }

    private boolean matchesInclude(RelPath p, boolean dir) {
        for (Glob g : includes) {
            if (g.matches(p, dir)) {
                return true;
            }
        }
        return false;
    }

    /** Whether entries of {@code type} are reported, per {@link SyncSettings#items()}. */
    public boolean reports(EntryType type) {
        return switch (settings.items()) {
            case BOTH -> true;
            case FILES -> type != EntryType.DIRECTORY;
            case DIRECTORIES -> type == EntryType.DIRECTORY;
        };
    }
}
