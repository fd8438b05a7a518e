package org.ciphersync.relay.server.session;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.ciphersync.relay.protocol.session.SessionId;

/** The embedded relay's session store: a concurrent map of immutable values; state is lost on restart. */
public final class InMemorySessionStore implements SessionStore {

    private final ConcurrentHashMap<SessionId, SessionState> sessions = new ConcurrentHashMap<>();

    @Override
    public boolean create(SessionState state) {
        return sessions.putIfAbsent(state.id(), state) == null;
    }

    @Override
    public Optional<SessionState> get(SessionId id) {
        return Optional.ofNullable(sessions.get(id));
    }

    @Override
    public Optional<SessionState> update(SessionId id, UnaryOperator<SessionState> change) {
        return Optional.ofNullable(sessions.computeIfPresent(id, (k, v) -> change.apply(v)));
    }

    @Override
    public boolean delete(SessionId id) {
        return sessions.remove(id) != null;
    }

    @Override
    public int size() {
        return sessions.size();
    }

    @Override
    public List<SessionId> ids() {
        return List.copyOf(sessions.keySet());
    }
}
