package org.ciphersync.core.local;

/**
 * Progress of a local synchronization, for a progress bar or the web UI. Calls may come from
 * worker threads concurrently: implementations MUST be thread-safe and quick.
 */
public interface SyncListener {
    SyncListener NOOP = new SyncListener() { };

    enum Phase { CLEAN_UP, INVENTORY, COMPARISON, PLAN, APPLY, SAVE_STATE, PRUNE_VERSIONS, DONE }

    /** A phase begins. */
    default void phase(Phase phase) {
    }

    /**
     * Work done within the current phase: files (or items) and bytes, done and total (a total
     * of -1 means not known yet).
     */
    default void progress(Phase phase, long filesDone, long filesTotal, long bytesDone, long bytesTotal) {
    }
}
