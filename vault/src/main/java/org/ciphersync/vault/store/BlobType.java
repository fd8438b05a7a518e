package org.ciphersync.vault.store;

/**
 * The kinds of objects a vault keeps, each in its own folder on the backend.
 *
 * <p>The folder names are part of the on-storage layout: renaming one is a format change.
 * Only {@link #PACK} fans out into 256 sub-folders named by the first two characters of the
 * blob name ({@code data/ab/ab12…}), because packs are the only type that grows to hundreds of
 * thousands of objects and several backends slow down on very large folders.
 */
public enum BlobType {
    /** The vault's configuration (format version, KDF parameters); a handful of objects. */
    CONFIG("config", false),
    /** Key files: the master key wrapped by the master password; one per password slot. */
    KEY("keys", false),
    /** Leases of computers that are working on the vault (lock-free coordination, pruning). */
    LEASE("leases", false),
    /** Snapshots: one per up-sync, a restorable point in time. */
    SNAPSHOT("snapshots", false),
    /** Index files mapping chunk ids to packs. */
    INDEX("index", false),
    /** Pack files holding encrypted chunks; names are lowercase hex content ids. */
    PACK("data", true),
    /** The chain's append-only log (joins, leaves, settings). */
    LOG("log", false),
    /** Short-lived probe objects written and removed by the backend self-test; never read by the format. */
    PROBE("probe", false);

    private final String folder;
    private final boolean fanOut;

    BlobType(String folder, boolean fanOut) {
        this.folder = folder;
        this.fanOut = fanOut;
    }

    /** The folder of this type relative to the vault root, e.g. {@code "data"}. */
    public String folder() {
        return folder;
    }

    /** Whether objects of this type live in two-character sub-folders ({@code data/ab/ab…}). */
    public boolean fanOut() {
        return fanOut;
    }
}
