package org.ciphersync.relay.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ciphersync.relay.protocol.frame.FrameCodec;
import org.ciphersync.relay.protocol.message.ErrorCode;
import org.ciphersync.relay.protocol.message.MemberProfile;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.message.MessageCodec;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.relay.server.ManualClock;
import org.ciphersync.relay.server.RelayConfig;
import org.ciphersync.relay.server.part.DiskPartStore;
import org.ciphersync.relay.server.session.InMemorySessionStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hub rules that need many source addresses or exact time, on strict fake peers and a manual clock.
 * (The same flows run over real WebSockets in {@code RelayServerIT}.)
 */
class HubTest {

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock();
    Hub hub;
    final Map<FakePeer, Long> seq = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        RelayConfig config = RelayConfig.builder(dir).port(0).lockoutBase(Duration.ofSeconds(30)).candidateTimeout(Duration.ofSeconds(60))
                .maxConnectionsPerAddress(3).unboundTimeout(Duration.ofSeconds(120)).build();
        hub = new Hub(config, new InMemorySessionStore(), new DiskPartStore(dir, 1000, 10_000), clock);
    }

    FakePeer peer(String address) {
        FakePeer p = new FakePeer(address);
        hub.opened(p);
        return p;
    }

    void send(FakePeer p, long session, Message m) {
        long s = seq.merge(p, 1L, Long::sum);
        hub.received(p, FrameCodec.encode(MessageCodec.toFrame(m, session, s, 0)));
    }

    static MemberProfile profile(String name) {
        return new MemberProfile(name, name + "@example.org", new byte[32]);
    }

    long create(FakePeer leader) {
        send(leader, 0, new Message.CreateSession(profile("leader")));
        return leader.frames.get(0).sessionId();
    }

    int requestJoin(FakePeer sponsor, FakePeer cand, long session) {
        sponsor.clear();
        send(cand, session, new Message.JoinRequest(profile("cand"), new byte[] {1}));
        return sponsor.last(Message.JoinRequested.class).candidateId();
    }

    @Test
    void fiveRejectedCandidatesFromFiveAddresses_lockTheSessionForEveryone() {
        FakePeer a = peer("10.0.0.1");
        long s = create(a);
        for (int i = 0; i < 5; i++) {
            FakePeer cand = peer("192.0.2." + i);
            int cid = requestJoin(a, cand, s);
            send(a, s, new Message.Reject(cid));
            assertThat(cand.last(Message.JoinRejected.class).reason()).contains("wrong session ID or password");
        }
        FakePeer fresh = peer("198.51.100.9");
        send(fresh, s, new Message.JoinRequest(profile("x"), new byte[0]));
        Message.JoinRejected locked = fresh.last(Message.JoinRejected.class);
        assertThat(locked.retryAfterMillis()).isEqualTo(30_000);
        assertThat(locked.reason()).contains("try again in 30 s");

        FakePeer other = peer("10.0.0.2");
        long s2 = create(other);
        requestJoin(other, fresh, s2);
        assertThat(fresh.last(Message.JoinRejected.class)).as("another session is not locked").isEqualTo(locked);

        clock.advance(Duration.ofSeconds(31));
        FakePeer later = peer("198.51.100.10");
        requestJoin(a, later, s);
    }

    @Test
    void fiveFailuresFromOneAddress_lockThatAddressOutOfEverySession() {
        FakePeer a = peer("10.0.0.1");
        long s = create(a);
        FakePeer prober = peer("203.0.113.5");
        for (int i = 1; i <= 5; i++) {
            send(prober, new SessionId(i).value(), new Message.JoinRequest(profile("p"), new byte[0]));
            assertThat(prober.last(Message.Error.class).code()).isEqualTo(ErrorCode.UNKNOWN_SESSION);
        }
        send(prober, s, new Message.JoinRequest(profile("p"), new byte[0]));
        assertThat(prober.last(Message.JoinRejected.class).retryAfterMillis()).isPositive();
        assertThat(a.all(Message.JoinRequested.class)).isEmpty();
    }

    @Test
    void aCandidateThatDisconnectsMidAuthentication_costsOneTry() {
        FakePeer a = peer("10.0.0.1");
        long s = create(a);
        FakePeer cand = peer("192.0.2.1");
        int cid = requestJoin(a, cand, s);
        hub.closed(cand);
        assertThat(a.last(Message.MemberLeft.class).memberId()).isEqualTo(cid);
        assertThat(hub.metrics().joinFailures.sum()).isEqualTo(1);
    }

    @Test
    void aCandidateNotAdmittedInTime_isRejected() {
        FakePeer a = peer("10.0.0.1");
        long s = create(a);
        FakePeer cand = peer("192.0.2.1");
        requestJoin(a, cand, s);
        clock.advance(Duration.ofSeconds(61));
        hub.sweep();
        assertThat(cand.last(Message.JoinRejected.class).reason()).contains("timed out");
    }

    @Test
    void pakeTraffic_flowsOnlyBetweenTheCandidateAndItsSponsor() {
        FakePeer a = peer("10.0.0.1");
        long s = create(a);
        FakePeer b = peer("10.0.0.2");
        int bid = requestJoin(a, b, s);
        send(a, s, new Message.Admit(bid));
        assertThat(b.last(Message.Welcome.class).memberId()).isEqualTo(bid);
        b.clear();
        FakePeer cand = peer("192.0.2.1");
        int cid = requestJoin(a, cand, s);
        send(cand, s, new Message.CandidateMessage(List.of(), new byte[] {7, 7}));
        send(a, s, new Message.CandidateMessage(List.of(cid), new byte[] {8}));
        assertThat(a.last(Message.CandidateMessage.class).payload()).containsExactly(7, 7);
        assertThat(a.frames.get(a.frames.size() - 1).sender()).isEqualTo(cid);
        assertThat(cand.last(Message.CandidateMessage.class).payload()).containsExactly(8);
        assertThat(b.all(Message.CandidateMessage.class)).isEmpty();
        assertThat(b.all(Message.JoinRequested.class)).isEmpty();
        // B is not the sponsor: it may not talk to or admit the candidate
        send(b, s, new Message.Admit(cid));
        assertThat(b.last(Message.Error.class).code()).isEqualTo(ErrorCode.UNKNOWN_CANDIDATE);
        // a candidate cannot broadcast
        send(cand, s, new Message.Data(List.of(), new byte[] {1}));
        assertThat(cand.last(Message.Error.class).code()).isEqualTo(ErrorCode.NOT_A_MEMBER);
    }

    @Test
    void whileTheLeaderIsOffline_theFirstOnlineMemberSponsorsCandidates() {
        FakePeer a = peer("10.0.0.1");
        long s = create(a);
        FakePeer b = peer("10.0.0.2");
        send(a, s, new Message.Admit(requestJoin(a, b, s)));
        hub.closed(a);
        FakePeer cand = peer("192.0.2.1");
        b.clear();
        send(cand, s, new Message.JoinRequest(profile("c"), new byte[0]));
        assertThat(b.all(Message.JoinRequested.class)).hasSize(1);
    }

    @Test
    void aRepeatedOrDecreasingSequence_isRefused() {
        FakePeer a = peer("10.0.0.1");
        long s = create(a);
        hub.received(a, FrameCodec.encode(MessageCodec.toFrame(new Message.SetStatus("x"), s, 1, 0)));
        assertThat(a.last(Message.Error.class).code()).isEqualTo(ErrorCode.BAD_SEQUENCE);
    }

    @Test
    void aForgedSenderField_isRefused() {
        FakePeer a = peer("10.0.0.1");
        long s = create(a);
        hub.received(a, FrameCodec.encode(MessageCodec.toFrame(new Message.Data(List.of(), new byte[0]), s, 10, 7)));
        assertThat(a.last(Message.Error.class).message()).contains("sender field 7");
    }

    @Test
    void connectionsBeyondThePerAddressLimit_areClosed() {
        FakePeer[] ok = {peer("10.0.0.1"), peer("10.0.0.1"), peer("10.0.0.1")};
        FakePeer fourth = peer("10.0.0.1");
        assertThat(fourth.closeCode).isEqualTo(1008);
        assertThat(fourth.closeReason).contains("too many connections");
        assertThat(ok[2].closeCode).isZero();
        assertThat(peer("10.0.0.2").closeCode).as("other addresses are unaffected").isZero();
        hub.closed(fourth);
        hub.closed(ok[0]);
        assertThat(peer("10.0.0.1").closeCode).as("a closed connection frees its slot").isZero();
    }

    @Test
    void aConnectionThatNeverJoins_isClosedAfterTheUnboundTimeout_butMembersStay() {
        FakePeer idle = peer("10.0.0.1");
        FakePeer member = peer("10.0.0.2");
        create(member);
        clock.advance(Duration.ofSeconds(121));
        hub.sweep();
        assertThat(idle.closeCode).isEqualTo(1000);
        assertThat(idle.closeReason).contains("no session");
        assertThat(member.closeCode).isZero();
    }
}
