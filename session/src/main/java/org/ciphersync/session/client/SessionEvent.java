package org.ciphersync.session.client;

import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.relay.protocol.message.Message;

/** What a session client reports to its user (CLI, UI, tests), in order, on its reader thread. */
public sealed interface SessionEvent {

    /** The member list, a member's sources or statuses changed. */
    record MembersChanged(SessionView view) implements SessionEvent {
    }

    /** The leader changed the Session Settings. */
    record SettingsChanged(SyncSettings settings) implements SessionEvent {
    }

    /** A verified leader order was carried out (start inventory, start synchronization, restart). */
    record OrderCarriedOut(Message.LeaderCommand.Kind kind, int leaderId) implements SessionEvent {
    }

    /** Every member's inventory arrived and this member computed the comparison (the same on every member). */
    record ComparisonReady(org.ciphersync.core.compare.Comparison comparison) implements SessionEvent {
    }

    /** Every member reported its result of the synchronization run. */
    record SynchronizationFinished(java.util.List<MemberSyncResult> results) implements SessionEvent {
    }

    /**
     * A file this member needs arrived and was verified: {@code fetched} content bytes came through the
     * relay, {@code reused} were already here (local chunks, or chunks received before a crash).
     */
    record ItemReceived(String node, String path, long fetched, long reused) implements SessionEvent {
    }

    /**
     * This member rejoined a running synchronization with the identity of a member that vanished
     * ({@code oldMember}, its process died) and carries out that member's part.
     */
    record RunTakenOver(long runId, int oldMember) implements SessionEvent {
    }

    /** The Data Inventory could not complete on this member (the message says why and what to do). */
    record InventoryFailed(String message) implements SessionEvent {
    }

    /** The group key was rotated (a member joined or left). */
    record KeyRotated(long epoch) implements SessionEvent {
    }

    /**
     * Something that only a faulty or malicious relay or member causes: a modified, replayed,
     * reordered, dropped or misattributed frame, an unsigned or foreign-signed order, a swapped key.
     * The offending frame was not acted on.
     */
    record SecurityAlert(String message) implements SessionEvent {
    }

    /** The relay refused a request of this member (for example a leader command from a non-leader). */
    record Refused(String message) implements SessionEvent {
    }

    /** The connection to the relay was lost; the client is trying to take its place back. */
    record ConnectionLost() implements SessionEvent {
    }

    /** The client took its place back after a lost connection. */
    record Resumed() implements SessionEvent {
    }

    /** This member is out of the session (it left, lost its place, or the session ended). */
    record Ended(String reason) implements SessionEvent {
    }
}
