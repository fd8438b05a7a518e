package org.ciphersync.core.apply;

import java.util.Objects;
import org.ciphersync.core.fs.FileAttrs;
import org.ciphersync.core.plan.PlannedAction;

/**
 * What happened to one planned action.
 *
 * @param action       the action
 * @param outcome      done, skipped because something changed since the inventory, or failed
 * @param message      for SKIPPED_CHANGED and FAILED: what failed and what to do; else empty
 * @param bytesWritten content bytes written for this action
 * @param after        the target's attributes after the action (null for deletes and failures)
 * @param fileHashHex  the written content's file hash when computed, else null
 */
public record ItemResult(PlannedAction action, Outcome outcome, String message, long bytesWritten,
                         FileAttrs after, String fileHashHex) {

    public enum Outcome {
        DONE,
        /** The source or the target differs from the inventory; nothing was written. Run again. */
        SKIPPED_CHANGED,
        /** An error; nothing partial is left under the final name. */
        FAILED
    }

    public ItemResult {
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(outcome, "outcome == null");
        Objects.requireNonNull(message, "message == null");
    }

    public boolean ok() {
        return outcome == Outcome.DONE;
    }

    static ItemResult done(PlannedAction a, long bytes, FileAttrs after, String hash) {
        return new ItemResult(a, Outcome.DONE, "", bytes, after, hash);
    }

    static ItemResult changed(PlannedAction a, String message) {
        return new ItemResult(a, Outcome.SKIPPED_CHANGED, message, 0, null, null);
    }

    static ItemResult failed(PlannedAction a, String message) {
        return new ItemResult(a, Outcome.FAILED, message, 0, null, null);
    }
}
