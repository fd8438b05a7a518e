package org.ciphersync.session.client;

/**
 * One member's outcome of a Data Synchronization run (S11).
 *
 * @param memberId  the member
 * @param succeeded items it applied
 * @param failed    items that failed on it (the others still ran)
 */
public record MemberSyncResult(int memberId, int succeeded, int failed) {
}
