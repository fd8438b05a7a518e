package org.ciphersync.vault.sync;

/** Receives progress of a long operation; called from the operation's threads, so implementations must be thread-safe and cheap. */
public interface Progress {
    Progress NONE = new Progress() {
    };

    /** {@code files} files and {@code bytes} bytes examined so far. */
    default void scanned(long files, long bytes) {
    }

    /** {@code bytes} bytes stored to the vault so far. */
    default void uploaded(long bytes) {
    }

    /** {@code done} of {@code total} items applied. */
    default void applied(long done, long total) {
    }
}
