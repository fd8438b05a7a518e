package org.ciphersync.core.local;

/** How the nodes are synchronized (S10 presets, or the user's rules). */
public enum SyncMode {
    /** A → all others, deleting what A lacks: afterwards every node equals A. */
    MIRROR,
    /** A → all others, never deleting. */
    UPDATE,
    /** Changes on any node propagate to all; concurrent changes keep both versions. */
    TWO_WAY,
    /** The rules of {@link LocalSyncOptions#rules()} (from {@code --rules FILE}). */
    RULES
}
