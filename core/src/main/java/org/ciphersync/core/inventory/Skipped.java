package org.ciphersync.core.inventory;

/**
 * An entry the scan left out, with the reason, so the user sees what was not synchronized.
 *
 * @param path   the path as found (may be invalid as a {@code RelPath}, hence a string)
 * @param reason why it was skipped
 * @param detail a short human-readable detail (an error message), or empty
 */
public record Skipped(String path, Reason reason, String detail) {
    public enum Reason {
        UNREADABLE, SPECIAL_FILE, SYMLINK, INVALID_NAME, PATH_TOO_LONG, CHANGED_DURING_SCAN, NAME_COLLISION;

        /**
         * Whether the entry is left out by the engine's policy (special files, links), as rsync skips
         * non-regular files, rather than because something went wrong that the user must look at:
         * a run that leaves out a file it should have copied did not synchronize everything.
         */
        public boolean byPolicy() {
            return this == SPECIAL_FILE || this == SYMLINK;
        }
    }

    /** The reason in words, with the detail when there is one: {@code "unreadable: AccessDenied: …"}. */
    public String describe() {
        String r = reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return detail == null || detail.isEmpty() ? r : r + ": " + detail;
    }

    /** Whether this entry was left out because something went wrong (see {@link Reason#byPolicy()}). */
    public boolean isProblem() {
        return !reason.byPolicy();
    }
}
