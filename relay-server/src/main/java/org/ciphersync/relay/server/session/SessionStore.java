package org.ciphersync.relay.server.session;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.ciphersync.relay.protocol.session.SessionId;

/**
 * Where the relay keeps session state: in memory for the embedded relay, Redis when several relay
 * nodes share the work. Implementations hold {@link SessionState} values and swap them atomically;
 * the session rules live in {@code SessionState}, not here.
 *
 * <p>Every implementation MUST pass {@code SessionStoreContract} (test sources).
 */
public interface SessionStore {

    /**
     * Stores a new session.
     *
     * @return false (and stores nothing) if a session with that id exists
     */
    boolean create(SessionState state);

    /** The current state, or empty if the session does not exist. */
    Optional<SessionState> get(SessionId id);

    /**
     * Atomically replaces the state of {@code id} by {@code change.apply(current)}. Concurrent updates of
     * the same session MUST NOT be lost; {@code change} MAY be called more than once (compare-and-set
     * retries) and so MUST be free of side effects. If {@code change} returns {@code null} the session is
     * deleted. Exceptions thrown by {@code change} propagate and leave the state unchanged.
     *
     * @return the new state; empty if the session did not exist (then {@code change} is not called) or was deleted
     */
    Optional<SessionState> update(SessionId id, UnaryOperator<SessionState> change);

    /** Deletes a session; returns whether it existed. Idempotent. */
    boolean delete(SessionId id);

    /** Number of sessions. */
    int size();

    /** A snapshot of the session ids (for expiry sweeps). */
    List<SessionId> ids();
}
