package org.ciphersync.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.ciphersync.relay.protocol.client.RelayClient;
import org.ciphersync.relay.protocol.client.RelayException;
import org.ciphersync.relay.protocol.message.MemberProfile;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.session.SessionId;

/** A real relay on a free loopback port and real WebSocket clients, closed together. */
final class RelayFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20); // generous: CI machines are shared; only failures wait this long

    final ManualClock clock = new ManualClock();
    final RelayServer server;
    private final List<RelayClient> clients = new ArrayList<>();

    RelayFixture(RelayConfig.Builder config) {
        RelayConfig c = config.bindAddress("127.0.0.1").port(0).sweepInterval(Duration.ofMillis(20)).build();
        server = new RelayServer(c, new org.ciphersync.relay.server.session.InMemorySessionStore(), openParts(c), clock).start();
    }

    private static org.ciphersync.relay.server.part.PartStore openParts(RelayConfig c) {
        try {
            return new org.ciphersync.relay.server.part.DiskPartStore(c.dataDir(), c.maxPartBytes(), c.sessionQuotaBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    URI wsUri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    URI httpUri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    RelayClient client() throws RelayException {
        RelayClient c = RelayClient.connect(wsUri(), WAIT);
        clients.add(c);
        return c;
    }

    static MemberProfile profile(String machine) {
        return new MemberProfile(machine, machine + "@example.org", new byte[32]);
    }

    /** A new session led by a client on {@code machine}. */
    RelayClient create(String machine) throws RelayException {
        RelayClient c = client();
        c.send(new Message.CreateSession(profile(machine)));
        c.await(Message.Welcome.class, WAIT);
        return c;
    }

    /** Joins through {@code sponsor} with one PAKE-like round trip, admitted. */
    RelayClient join(RelayClient sponsor, String machine) throws RelayException {
        RelayClient cand = client();
        SessionId s = sponsor.session();
        cand.join(s, profile(machine), new byte[] {1, 2, 3});
        Message.JoinRequested jr = sponsor.await(Message.JoinRequested.class, WAIT);
        assertThat(jr.profile().machineName()).isEqualTo(machine);
        sponsor.send(new Message.CandidateMessage(List.of(jr.candidateId()), new byte[] {4}));
        cand.await(Message.CandidateMessage.class, WAIT);
        cand.send(new Message.CandidateMessage(List.of(), new byte[] {5}));
        sponsor.await(Message.CandidateMessage.class, WAIT);
        sponsor.send(new Message.Admit(jr.candidateId()));
        Message.Welcome w = cand.await(Message.Welcome.class, WAIT);
        assertThat(w.memberId()).isEqualTo(jr.candidateId());
        return cand;
    }

    /** Waits for a member list matching {@code condition}; returns it. */
    static Message.MemberList list(RelayClient c, Predicate<Message.MemberList> condition) throws RelayException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Message.MemberList last = null;
        while (System.nanoTime() < deadline) {
            Message.MemberList l = c.await(Message.MemberList.class, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            last = l;
            if (condition.test(l)) {
                return l;
            }
        }
        throw new AssertionError("no matching member list; last was " + last);
    }

    static String letters(Message.MemberList l) {
        StringBuilder sb = new StringBuilder();
        l.members().forEach(m -> sb.append(m.letter()).append(':').append(m.profile().machineName()).append(' '));
        return sb.toString().strip();
    }

    /** Polls {@code condition} until true or the wait is over. */
    static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        for (RelayClient c : clients) {
            c.abort();
        }
        server.stop();
    }
}
