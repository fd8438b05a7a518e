package org.ciphersync.core.compare;

/** How an item's versions on the nodes relate to each other. */
public enum ItemStatus {
    /** Present on every node with equal content (and, for files, equal dates). */
    SAME,
    /** Present on every node as files, in more than one content group. */
    DIFFERENT_CONTENT,
    /** Equal content everywhere (proven by fingerprints) but modification times differ. */
    DIFFERENT_DATE_ONLY,
    /** Absent on at least one node (and of one type where present). */
    MISSING_ON_SOME,
    /** A file on one node and a directory (or link) on another. */
    TYPE_CONFLICT;

    public boolean isDifference() {
        return this != SAME;
    }
}
