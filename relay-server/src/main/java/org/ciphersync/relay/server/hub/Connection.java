package org.ciphersync.relay.server.hub;

import java.util.concurrent.atomic.AtomicLong;
import org.ciphersync.relay.protocol.limit.RateLimiter;

/**
 * The hub's state of one connection. A connection is NEW (no session), a CANDIDATE of a session, or a
 * MEMBER of one; its role fields change only while the lock of the {@link SessionRuntime} involved is held.
 * Frames of one connection are delivered one at a time, so {@link #rate}, {@link #lastSequence} and
 * {@link #violations} need no lock.
 */
final class Connection {

    enum Role { NEW, CANDIDATE, MEMBER }

    final Peer peer;
    final String address;
    final RateLimiter rate;
    final AtomicLong relaySequence = new AtomicLong();
    long lastSequence = -1;
    int violations;

    volatile Role role = Role.NEW;
    volatile SessionRuntime runtime;
    volatile int id;
    volatile String transferToken;
    volatile boolean closed;
    /** Since when the connection is neither member nor candidate (for the unbound timeout). */
    volatile java.time.Instant unboundSince;

    Connection(Peer peer, RateLimiter rate, java.time.Instant now) {
        this.peer = peer;
        this.address = peer.remoteAddress();
        this.rate = rate;
        this.unboundSince = now;
    }

    /** Back to NEW (left, rejected, session ended); {@code now} starts the unbound timeout. */
    void reset(java.time.Instant now) {
        unboundSince = now;
        role = Role.NEW;
        runtime = null;
        id = 0;
        transferToken = null;
    }

    @Override
    public String toString() {
        return "Connection[" + role + (id == 0 ? "" : " " + id) + "]";
    }
}
