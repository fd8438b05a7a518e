package org.ciphersync.vault.sync;

/**
 * One path that could not be processed; the others were.
 *
 * @param path      the local or vault path
 * @param message   what went wrong and what to do
 * @param integrity whether stored data failed its integrity check (exit code 5 rather than 1)
 */
public record ItemFailure(String path, String message, boolean integrity) {
    public ItemFailure(String path, String message) {
        this(path, message, false);
    }
}
