package org.ciphersync.core.plan;

import java.util.List;
import java.util.Objects;

/**
 * The whole run was refused before anything was written, for a reason the person at the keyboard
 * can act on. The CLI maps {@link #reason()} to an exit code; {@link #getMessage()} says what to do.
 */
public final class SyncRefusedException extends Exception {

    public enum Reason {
        /** A node's root folder does not exist or is not a directory. */
        ROOT_MISSING,
        /** A node is empty while others are not and the plan would delete. */
        SOURCE_EMPTY,
        /** The plan deletes more than the allowed share of a node. */
        MASS_DELETE,
        /** Actions contradict each other (see {@link #details()}). */
        INCONSISTENT_PLAN,
        /** The rules or options are invalid. */
        INVALID_RULES
    }

    private final Reason reason;
    private final List<String> details;

    public SyncRefusedException(Reason reason, String message, List<String> details) {
        super(Objects.requireNonNull(message, "message == null"));
        this.reason = Objects.requireNonNull(reason, "reason == null");
        this.details = List.copyOf(details);
    }

    public Reason reason() {
        return reason;
    }

    /** One line per culprit (item or node). */
    public List<String> details() {
        return details;
    }
}
