package org.ciphersync.core.settings;

import java.util.List;
import java.util.Objects;
import org.ciphersync.core.path.RelPath;

/**
 * Session Settings (S7): what is compared and how. Immutable; {@link #defaults()} gives the
 * settings a user gets without choosing anything.
 *
 * @param items              which kinds of item the comparison shows and acts on
 * @param matching           how items on different nodes are paired
 * @param caseSensitivity    whether names differing only by case are the same item
 * @param analysis           when content fingerprints are computed
 * @param excludeHidden      leave out names starting with '.'
 * @param excludeSystemFiles leave out the documented system and noise files (.DS_Store, …)
 * @param includeGlobs       when non-empty, only files matching one of them take part
 * @param excludeGlobs       files and directories matching one of them are left out
 * @param ignoreFileName     name of the per-source ignore file (one glob per line), or null
 */
public record SyncSettings(ItemKinds items, Matching matching, CaseSensitivity caseSensitivity,
                           AnalysisMode analysis, boolean excludeHidden, boolean excludeSystemFiles,
                           List<String> includeGlobs, List<String> excludeGlobs, String ignoreFileName) {

    public static final String DEFAULT_IGNORE_FILE = ".csignore";

    public enum ItemKinds { FILES, DIRECTORIES, BOTH }

    public enum Matching {
        /** The same relative path below each node's root. */
        RELATIVE_PATH,
        /** The same file name anywhere (for flat collections). */
        NAME
    }

    public enum CaseSensitivity {
        /** Insensitive when any node's file system is case-insensitive, else sensitive. */
        AUTO, SENSITIVE, INSENSITIVE
    }

    public enum AnalysisMode {
        /** Fingerprints only where size or date differ between nodes (cached ones are reused). */
        SMART,
        /** Fingerprints for every file. */
        CHECKSUM
    }

    public SyncSettings {
        Objects.requireNonNull(items, "items == null");
        Objects.requireNonNull(matching, "matching == null");
        Objects.requireNonNull(caseSensitivity, "caseSensitivity == null");
        Objects.requireNonNull(analysis, "analysis == null");
        includeGlobs = List.copyOf(includeGlobs);
        excludeGlobs = List.copyOf(excludeGlobs);
    }

    public static SyncSettings defaults() {
        return new SyncSettings(ItemKinds.BOTH, Matching.RELATIVE_PATH, CaseSensitivity.AUTO,
                AnalysisMode.SMART, false, true, List.of(), List.of(), DEFAULT_IGNORE_FILE);
    }

    public SyncSettings withAnalysis(AnalysisMode mode) {
        return new SyncSettings(items, matching, caseSensitivity, mode, excludeHidden, excludeSystemFiles,
                includeGlobs, excludeGlobs, ignoreFileName);
    }

    public SyncSettings withExcludeGlobs(List<String> globs) {
        return new SyncSettings(items, matching, caseSensitivity, analysis, excludeHidden, excludeSystemFiles,
                includeGlobs, globs, ignoreFileName);
    }

    public SyncSettings withIncludeGlobs(List<String> globs) {
        return new SyncSettings(items, matching, caseSensitivity, analysis, excludeHidden, excludeSystemFiles,
                globs, excludeGlobs, ignoreFileName);
    }

    public SyncSettings withCaseSensitivity(CaseSensitivity c) {
        return new SyncSettings(items, matching, c, analysis, excludeHidden, excludeSystemFiles,
                includeGlobs, excludeGlobs, ignoreFileName);
    }

    public SyncSettings withMatching(Matching m) {
        return new SyncSettings(items, m, caseSensitivity, analysis, excludeHidden, excludeSystemFiles,
                includeGlobs, excludeGlobs, ignoreFileName);
    }

    public SyncSettings withItems(ItemKinds k) {
        return new SyncSettings(k, matching, caseSensitivity, analysis, excludeHidden, excludeSystemFiles,
                includeGlobs, excludeGlobs, ignoreFileName);
    }

    public SyncSettings withExcludeHidden(boolean b) {
        return new SyncSettings(items, matching, caseSensitivity, analysis, b, excludeSystemFiles,
                includeGlobs, excludeGlobs, ignoreFileName);
    }

    /** Whether matching is case-sensitive, given whether every node's file system is. */
    public boolean effectiveCaseSensitive(boolean allNodesCaseSensitive) {
        return switch (caseSensitivity) {
            case SENSITIVE -> true;
            case INSENSITIVE -> false;
            case AUTO -> allNodesCaseSensitive;
        };
    }

    /** The key that pairs items across nodes (NFC-normalized, case-folded when insensitive). */
    public String matchKey(RelPath path, boolean caseSensitive) {
        return matching == Matching.NAME
                ? RelPath.of(path.name()).matchKey(caseSensitive)
                : path.matchKey(caseSensitive);
    }
}
