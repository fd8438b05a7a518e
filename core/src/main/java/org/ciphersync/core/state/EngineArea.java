package org.ciphersync.core.state;

import org.ciphersync.core.path.RelPath;

/**
 * Names the engine reserves on every data node. The folder {@value #DIR} at a node's root holds
 * the versions area and the per-node synchronization state; temporary files of an apply are named
 * {@value #TEMP_PREFIX}{@code <random>} in the target folder. The engine MUST never synchronize,
 * compare or delete these as user items; a scan should leave them out, and the comparison drops
 * them again in case it did not.
 */
public final class EngineArea {
    /** The engine's folder at a node's root. */
    public static final String DIR = ".ciphersync";
    /** Prefix of temporary files written by an apply (in the target's own folder). */
    public static final String TEMP_PREFIX = ".ciphersync.tmp.";

    public static final RelPath ROOT = RelPath.of(DIR);
    /** Overwritten and deleted files: {@code .ciphersync/versions/<path>~<yyyyMMdd-HHmmss>}. */
    public static final RelPath VERSIONS = ROOT.resolve("versions");
    /** Two-way state files: {@code .ciphersync/state/<node set id>.json}. */
    public static final RelPath STATE = ROOT.resolve("state");

    private EngineArea() {
    }

    /** Whether {@code path} is the engine's folder, inside it, or a temporary file of an apply. */
    public static boolean isReserved(RelPath path) {
        if (path.isRoot()) {
            return false;
        }
        if (path.startsWith(ROOT) || path.value().regionMatches(true, 0, DIR, 0, DIR.length())
                && (path.value().length() == DIR.length() || path.value().charAt(DIR.length()) == '/')) {
            return true;
        }
        return isTempName(path.name());
    }

    /** Whether a single name is a temporary file of an apply. */
    public static boolean isTempName(String name) {
        return name.startsWith(TEMP_PREFIX);
    }
}
