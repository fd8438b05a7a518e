package org.ciphersync.core.inventory;

import org.ciphersync.core.path.RelPath;

/**
 * Progress of an inventory, for a progress bar. Every method has a no-op default. Calls come
 * from the scan's worker threads, possibly concurrently: implementations MUST be thread-safe and
 * quick (they run on the hashing threads).
 */
public interface InventoryListener {
    InventoryListener NOOP = new InventoryListener() { };

    /** A directory of {@code nodeId} was listed; {@code totalSoFar} entries found on that node. */
    default void entriesFound(String nodeId, long totalSoFar) {
    }

    /** Content hashing starts: this many files and bytes are to be read. */
    default void hashingStarted(long files, long bytes) {
    }

    /** One file was read and fingerprinted. */
    default void fileHashed(String nodeId, RelPath path, long bytes) {
    }

    /** An entry was left out (also listed in {@link NodeInventory#skipped()}). */
    default void skipped(String nodeId, Skipped skipped) {
    }
}
