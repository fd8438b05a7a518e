package org.ciphersync.core.compare;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Objects;

/**
 * Which comparison rows to show. Every condition set must hold; an unset one (false / null)
 * does not filter.
 *
 * @param onlyDifferences leave out rows whose status is {@link ItemStatus#SAME}
 * @param pathGlob        a glob on the row's path ({@code docs/**}, {@code *.txt}), or null
 * @param presentOn       only rows present on this node, or null
 * @param absentOn        only rows absent on this node, or null
 */
public record ComparisonFilter(boolean onlyDifferences, String pathGlob, String presentOn, String absentOn) {
    public static final ComparisonFilter ALL = new ComparisonFilter(false, null, null, null);

    public ComparisonFilter {
        if (pathGlob != null) {
            matcher(pathGlob); // fails early with the culprit
        }
    }

    public ComparisonFilter withOnlyDifferences() {
        return new ComparisonFilter(true, pathGlob, presentOn, absentOn);
    }

    public ComparisonFilter withGlob(String g) {
        return new ComparisonFilter(onlyDifferences, g, presentOn, absentOn);
    }

    public ComparisonFilter withPresentOn(String node) {
        return new ComparisonFilter(onlyDifferences, pathGlob, Objects.requireNonNull(node, "node == null"), absentOn);
    }

    public ComparisonFilter withAbsentOn(String node) {
        return new ComparisonFilter(onlyDifferences, pathGlob, presentOn, Objects.requireNonNull(node, "node == null"));
    }

    static PathMatcher matcher(String glob) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid glob '" + glob + "': " + e.getMessage(), e);
        }
    }

    public boolean test(ComparisonRow row) {
        if (onlyDifferences && !row.status().isDifference()) {
            return false;
        }
        if (presentOn != null && !row.presentOn(presentOn)) {
            return false;
        }
        if (absentOn != null && row.presentOn(absentOn)) {
            return false;
        }
        if (pathGlob != null) {
            PathMatcher m = matcher(pathGlob);
            Path p = Path.of(row.path().value());
            return m.matches(p) || (!pathGlob.contains("/") && m.matches(Path.of(row.path().name())));
        }
        return true;
    }
}
