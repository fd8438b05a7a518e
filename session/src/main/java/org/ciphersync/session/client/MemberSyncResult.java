package org.ciphersync.session.client;

import java.util.List;
import org.ciphersync.session.wire.GroupMessage;

/**
 * One member's outcome of a Data Synchronization run (S11).
 *
 * @param memberId  the member
 * @param succeeded items it applied
 * @param failed    items that failed on it (the others still ran)
 * @param failures  the failed items it listed, each with its reason (at most
 *                  {@value GroupMessage.SyncDone#MAX_FAILURES}; see {@code complete})
 * @param complete  whether {@code failures} lists every failed item
 * @param departed  why the member did not report (it left the session during the run), or null when it did;
 *                  then every item that targets it counts as failed
 */
public record MemberSyncResult(int memberId, int succeeded, int failed, List<GroupMessage.ItemFailure> failures, boolean complete,
                               String departed) {
    public MemberSyncResult {
        failures = List.copyOf(failures);
    }

    public MemberSyncResult(int memberId, int succeeded, int failed) {
        this(memberId, succeeded, failed, List.of(), failed == 0, null);
    }
}
