package org.ciphersync.vault.store;

/**
 * What a backend guarantees, so callers decide on values instead of {@code instanceof}.
 *
 * @param atomicReplace            a save over an existing name replaces it in one step; when
 *                                 false, a concurrent reader may briefly see the object missing
 *                                 (saves of new names are atomic on every backend)
 * @param listAfterWriteConsistent a completed save or delete is reflected by the next list;
 *                                 when false the format must tolerate stale listings
 * @param nativeRangedReads        ranged loads transfer only the range; when false the store
 *                                 skips the bytes before the range itself
 * @param maxObjectSize            largest object the backend accepts, in bytes
 * @param needsParentFolders       folders must be created before objects can be written into them
 * @param connections              number of concurrent operations the backend handles well; the
 *                                 default of the concurrency limit
 */
public record Capabilities(
        boolean atomicReplace,
        boolean listAfterWriteConsistent,
        boolean nativeRangedReads,
        long maxObjectSize,
        boolean needsParentFolders,
        int connections) {

    public Capabilities {
        if (maxObjectSize <= 0) {
            throw new IllegalArgumentException("maxObjectSize " + maxObjectSize + " is not positive");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections " + connections + " is less than 1");
        }
    }

    /** A copy with another connection count. */
    public Capabilities withConnections(int connections) {
        return new Capabilities(atomicReplace, listAfterWriteConsistent, nativeRangedReads, maxObjectSize,
                needsParentFolders, connections);
    }
}
