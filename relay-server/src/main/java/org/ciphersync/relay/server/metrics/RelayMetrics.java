package org.ciphersync.relay.server.metrics;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The relay's counters and gauges, rendered in the Prometheus text exposition format (version 0.0.4).
 * Counters only count; no label ever carries a session id, address or anything a member sent.
 */
public final class RelayMetrics {

    public final LongAdder framesReceived = new LongAdder();
    public final LongAdder framesSent = new LongAdder();
    public final LongAdder bytesReceived = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();
    public final LongAdder malformedFrames = new LongAdder();
    public final LongAdder rateLimited = new LongAdder();
    public final LongAdder sessionsCreated = new LongAdder();
    public final LongAdder sessionsEnded = new LongAdder();
    public final LongAdder joinsAdmitted = new LongAdder();
    public final LongAdder joinFailures = new LongAdder();
    public final LongAdder lockouts = new LongAdder();
    public final LongAdder lockedOutAttempts = new LongAdder();
    public final LongAdder leaderCommandsRefused = new LongAdder();
    public final LongAdder partsUploaded = new LongAdder();
    public final LongAdder partsDownloaded = new LongAdder();
    public final LongAdder partBytesUploaded = new LongAdder();
    public final LongAdder partBytesDownloaded = new LongAdder();

    private final LongSupplier sessions;
    private final LongSupplier connections;
    private final LongSupplier partBytesStored;
    private final LongSupplier partsStored;

    public RelayMetrics(LongSupplier sessions, LongSupplier connections, LongSupplier partBytesStored, LongSupplier partsStored) {
        this.sessions = sessions;
        this.connections = connections;
        this.partBytesStored = partBytesStored;
        this.partsStored = partsStored;
    }

    public long sessions() {
        return sessions.getAsLong();
    }

    public long connections() {
        return connections.getAsLong();
    }

    /** The Prometheus text format of every metric. */
    public String render() {
        StringBuilder sb = new StringBuilder(2048);
        gauge(sb, "relay_sessions", "Sessions currently open.", sessions.getAsLong());
        gauge(sb, "relay_connections", "WebSocket connections currently open.", connections.getAsLong());
        gauge(sb, "relay_part_bytes_stored", "Bytes of file parts stored or reserved.", partBytesStored.getAsLong());
        gauge(sb, "relay_parts_stored", "File parts waiting for recipients.", partsStored.getAsLong());
        counter(sb, "relay_frames_received_total", "Frames received from clients.", framesReceived);
        counter(sb, "relay_frames_sent_total", "Frames sent to clients.", framesSent);
        counter(sb, "relay_bytes_received_total", "Frame bytes received.", bytesReceived);
        counter(sb, "relay_bytes_sent_total", "Frame bytes sent.", bytesSent);
        counter(sb, "relay_malformed_frames_total", "Malformed frames (each closed its connection).", malformedFrames);
        counter(sb, "relay_rate_limited_frames_total", "Frames refused by the per-connection rate limit.", rateLimited);
        counter(sb, "relay_sessions_created_total", "Sessions created.", sessionsCreated);
        counter(sb, "relay_sessions_ended_total", "Sessions ended (last member left or expiry).", sessionsEnded);
        counter(sb, "relay_joins_admitted_total", "Candidates admitted.", joinsAdmitted);
        counter(sb, "relay_join_failures_total", "Failed joins (rejected, abandoned or timed out).", joinFailures);
        counter(sb, "relay_lockouts_total", "Failures that put a session or address into lockout.", lockouts);
        counter(sb, "relay_locked_out_attempts_total", "Join attempts refused because of a lockout.", lockedOutAttempts);
        counter(sb, "relay_leader_commands_refused_total", "Leader-only commands refused because the sender was not member A.", leaderCommandsRefused);
        counter(sb, "relay_parts_uploaded_total", "File parts uploaded.", partsUploaded);
        counter(sb, "relay_parts_downloaded_total", "File part downloads completed.", partsDownloaded);
        counter(sb, "relay_part_bytes_uploaded_total", "File part bytes uploaded.", partBytesUploaded);
        counter(sb, "relay_part_bytes_downloaded_total", "File part bytes downloaded.", partBytesDownloaded);
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(v).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, LongAdder v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        sb.append(name).append(' ').append(v.sum()).append('\n');
    }
}
