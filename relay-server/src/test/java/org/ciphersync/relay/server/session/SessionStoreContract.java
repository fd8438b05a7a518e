package org.ciphersync.relay.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.ciphersync.relay.protocol.session.SessionId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link SessionStore} must have. Extend it once per implementation. */
public abstract class SessionStoreContract {

    protected abstract SessionStore newStore();

    private SessionStore store;
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final SessionId ID = new SessionId(12345);

    @BeforeEach
    void setUp() {
        store = newStore();
    }

    @Test
    void create_thenGet_returnsTheState() {
        SessionState s = SessionState.create(ID, T0);
        assertThat(store.create(s)).isTrue();
        assertThat(store.get(ID)).contains(s);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.ids()).containsExactly(ID);
    }

    @Test
    void create_withATakenId_returnsFalseAndKeepsTheFirst() {
        SessionState first = SessionState.create(ID, T0);
        store.create(first);
        assertThat(store.create(SessionState.create(ID, T0.plusSeconds(1)))).isFalse();
        assertThat(store.get(ID)).contains(first);
    }

    @Test
    void get_ofAnUnknownSession_isEmpty() {
        assertThat(store.get(new SessionId(1))).isEmpty();
    }

    @Test
    void update_ofAnUnknownSession_isEmptyAndDoesNotCallTheChange() {
        AtomicInteger calls = new AtomicInteger();
        assertThat(store.update(ID, s -> {
            calls.incrementAndGet();
            return s;
        })).isEmpty();
        assertThat(calls).hasValue(0);
    }

    @Test
    void update_returningNull_deletesTheSession() {
        store.create(SessionState.create(ID, T0));
        assertThat(store.update(ID, s -> null)).isEmpty();
        assertThat(store.get(ID)).isEmpty();
    }

    @Test
    void update_throwing_leavesTheStateUnchanged() {
        SessionState s = SessionState.create(ID, T0);
        store.create(s);
        assertThatThrownBy(() -> store.update(ID, x -> {
            throw new IllegalStateException("no");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(store.get(ID)).contains(s);
    }

    @Test
    void concurrentUpdates_areNeverLost() throws InterruptedException {
        store.create(SessionState.create(ID, T0));
        int threads = 4;
        int perThread = 250;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    store.update(ID, SessionState::allocateId);
                }
            });
            th.start();
            ts.add(th);
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        assertThat(store.get(ID).orElseThrow().nextId()).isEqualTo(1 + threads * perThread);
    }

    @Test
    void delete_isIdempotent() {
        store.create(SessionState.create(ID, T0));
        assertThat(store.delete(ID)).isTrue();
        assertThat(store.delete(ID)).isFalse();
        assertThat(store.size()).isZero();
    }
}
