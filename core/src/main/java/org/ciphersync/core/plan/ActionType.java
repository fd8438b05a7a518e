package org.ciphersync.core.plan;

/** What an action does to an item on a target node (S10). */
public enum ActionType {
    /** Content and dates (and permissions) from the source; a directory source creates it. */
    COPY,
    /** Content only: the target gets the time of writing as its date. */
    COPY_CONTENT,
    /** The source's modification time, onto a target with (presumably) equal content. */
    COPY_DATES,
    /** Creates a directory (a file in its place goes to the versions area). */
    CREATE_DIRECTORY,
    /** Moves the item into the versions area. */
    DELETE,
    /** Leaves the item alone; as a targeted action it overrides every rule for the item. */
    DO_NOTHING,
    /** Two-way only: renames the losing version of a conflict to its conflict name on its node. */
    KEEP_AS_CONFLICT;

    /** Whether the action changes the target node. */
    public boolean writes() {
        return this != DO_NOTHING;
    }

    /** Whether the action reads the item from a source node. */
    public boolean needsSource() {
        return this == COPY || this == COPY_CONTENT || this == COPY_DATES || this == KEEP_AS_CONFLICT;
    }
}
