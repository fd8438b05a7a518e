package org.ciphersync.core.settings;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The documented list of operating-system and application noise that
 * {@link SyncSettings#excludeSystemFiles()} leaves out. Names are compared case-insensitively
 * (Windows and macOS create them with varying case). The list is deliberately conservative:
 * only files that are regenerated automatically, are meaningless on another machine, or are
 * locks that must never travel.
 *
 * <table>
 *   <caption>Excluded names</caption>
 *   <tr><th>name</th><th>origin</th></tr>
 *   <tr><td>{@code .DS_Store}, {@code .AppleDouble}, {@code .LSOverride}, {@code ._*}</td><td>macOS Finder metadata and AppleDouble resource forks</td></tr>
 *   <tr><td>{@code .Spotlight-V100}, {@code .Trashes}, {@code .fseventsd}, {@code .TemporaryItems},
 *       {@code .DocumentRevisions-V100}, {@code .VolumeIcon.icns}, {@code .apdisk}, {@code Icon\r}</td><td>macOS volume metadata</td></tr>
 *   <tr><td>{@code Thumbs.db}, {@code ehthumbs.db}, {@code ehthumbs_vista.db}, {@code desktop.ini}</td><td>Windows Explorer caches and folder settings</td></tr>
 *   <tr><td>{@code $RECYCLE.BIN}, {@code System Volume Information}</td><td>Windows volume folders</td></tr>
 *   <tr><td>{@code .directory}, {@code .Trash-*}, {@code .nfs*}, {@code .fuse_hidden*}, {@code lost+found}</td><td>Linux desktop, trash, NFS and FUSE leftovers, fsck</td></tr>
 *   <tr><td>{@code ~$*}, {@code .~lock.*#}</td><td>Microsoft Office owner files and LibreOffice locks</td></tr>
 *   <tr><td>{@code .*.swp}, {@code .*.swo}, {@code .#*}</td><td>vim swap files and Emacs locks (they belong to a running editor)</td></tr>
 * </table>
 * Editor backups ({@code *~}, {@code *.bak}) are user data and are NOT excluded.
 */
public final class SystemFiles {
    /** Exact names, lower-case. */
    static final Set<String> NAMES = Set.of(
            ".ds_store", ".appledouble", ".lsoverride", ".spotlight-v100", ".trashes", ".fseventsd",
            ".temporaryitems", ".documentrevisions-v100", ".volumeicon.icns", ".apdisk", "icon\r",
            "thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini", "$recycle.bin",
            "system volume information", ".directory", "lost+found");

    /** Prefixes, lower-case. */
    static final List<String> PREFIXES = List.of("._", ".trash-", ".nfs", ".fuse_hidden", "~$", ".#");

    private SystemFiles() {
    }

    /** Whether {@code name} (one path segment) is system or application noise. */
    public static boolean isSystemName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (NAMES.contains(n)) {
            return true;
        }
        for (String p : PREFIXES) {
            if (n.startsWith(p) && n.length() > p.length()) {
                return true;
            }
        }
        if (n.startsWith(".~lock.") && n.endsWith("#")) {
            return true;
        }
        return n.startsWith(".") && (n.endsWith(".swp") || n.endsWith(".swo")) && n.length() > 5;
    }

    /** The documented patterns, for display in the UI and help text. */
    public static List<String> documented() {
        return List.of(".DS_Store", ".AppleDouble", ".LSOverride", "._*", ".Spotlight-V100", ".Trashes",
                ".fseventsd", ".TemporaryItems", ".DocumentRevisions-V100", ".VolumeIcon.icns", ".apdisk",
                "Icon\\r", "Thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini", "$RECYCLE.BIN",
                "System Volume Information", ".directory", ".Trash-*", ".nfs*", ".fuse_hidden*", "lost+found",
                "~$*", ".~lock.*#", ".*.swp", ".*.swo", ".#*");
    }
}
