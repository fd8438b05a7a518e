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
        UNREADABLE, SPECIAL_FILE, SYMLINK, INVALID_NAME, PATH_TOO_LONG, CHANGED_DURING_SCAN, NAME_COLLISION
    }
}
