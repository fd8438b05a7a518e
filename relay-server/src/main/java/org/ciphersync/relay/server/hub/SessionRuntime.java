package org.ciphersync.relay.server.hub;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.ciphersync.relay.protocol.message.MemberProfile;
import org.ciphersync.relay.protocol.session.SessionId;

/**
 * What one relay node keeps about a session besides its {@code SessionState}: the live connections of
 * its members and candidates, the frames buffered for members in their grace period, and the time of
 * the last frame. Guarded by its own monitor.
 */
final class SessionRuntime {

    record Candidate(int id, Connection connection, int sponsorId, Instant startedAt, MemberProfile profile) {
    }

    /** Frames addressed to a member while its connection is lost, bounded in bytes. */
    static final class OfflineBuffer {
        final ArrayDeque<byte[]> frames = new ArrayDeque<>();
        long bytes;
        boolean overflowed;

        void add(byte[] frame, long limit) {
            if (overflowed) {
                return;
            }
            if (bytes + frame.length > limit) {
                frames.clear();
                bytes = 0;
                overflowed = true;
                return;
            }
            frames.add(frame);
            bytes += frame.length;
        }
    }

    final SessionId id;
    final Map<Integer, Connection> online = new HashMap<>();
    final Map<Integer, Candidate> candidates = new HashMap<>();
    final Map<Integer, OfflineBuffer> offline = new HashMap<>();
    volatile Instant lastActivity;
    boolean ended;

    SessionRuntime(SessionId id, Instant now) {
        this.id = id;
        this.lastActivity = now;
    }
}
