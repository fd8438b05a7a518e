package org.ciphersync.session.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.session.client.SessionFixture.WAIT;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.ciphersync.crypto.identity.Identity;
import org.ciphersync.relay.protocol.client.Inbound;
import org.ciphersync.relay.protocol.frame.Frame;
import org.ciphersync.relay.protocol.message.MemberProfile;
import org.ciphersync.relay.protocol.message.MemberView;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.message.MessageCodec;
import org.ciphersync.session.JoinRefusedException;
import org.ciphersync.session.member.SourceEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay that swaps keys, replays, reorders, drops, modifies or misattributes frames is detected:
 * the real relay routes, and a {@link TappedLink} in front of one member plays the malicious part.
 */
class MaliciousRelayIT {
    private static final Identity ATTACKER = Identity.generate(new SecureRandom());

    @TempDir
    Path tmp;

    private SessionFixture f;
    private SessionClient a;
    private SessionClient b;
    private SessionClient c;

    @AfterEach
    void closeFixture() {
        if (f != null) {
            f.close();
        }
    }

    private void threeMembers() throws Exception {
        f = SessionFixture.start(tmp);
        a = f.create("alpha");
        b = f.join(a, "bravo");
        c = f.join(a, "charlie");
        for (SessionClient x : List.of(a, b, c)) {
            x.await(v -> v.lettersAndNames().equals("A:alpha B:bravo C:charlie") && v.keyEpoch() >= 3, WAIT);
        }
        // let the state messages that follow each rotation settle
        b.await(v -> v.member('C').orElseThrow().authenticated(), WAIT);
        SessionFixture.uncheckedSleep(300);
    }

    private boolean groupDataFromB(Inbound in) {
        return in.message() instanceof Message.Data d && in.sender() == b.memberId() && d.payload()[0] == 'G';
    }

    private void onCharlie(Function<Inbound, List<Inbound>> filter) {
        f.links.get("charlie").inbound = filter;
    }

    private void awaitAlert(SessionClient x, String text) throws Exception {
        x.await(v -> x.alerts().stream().anyMatch(t -> t.contains(text)), WAIT);
    }

    private static Inbound rebuilt(Inbound in, Message m, int sender) {
        Frame fr = MessageCodec.toFrame(m, in.frame().sessionId(), in.frame().sequence(), sender);
        return new Inbound(fr, m);
    }

    @Test
    void aReplayedFrame_isRefused() throws Exception {
        threeMembers();
        {
            AtomicBoolean armed = new AtomicBoolean(true);
            onCharlie(in -> groupDataFromB(in) && armed.getAndSet(false) ? List.of(in, in) : List.of(in));
            b.addSource(SourceEntry.directory("/x"));
            awaitAlert(c, "replayed or reordered");
            assertThat(c.view().member('B').orElseThrow().sources()).containsExactly(SourceEntry.directory("/x"));
        }
    }

    @Test
    void aDroppedFrame_isReportedByTheNextOne() throws Exception {
        threeMembers();
        {
            AtomicBoolean armed = new AtomicBoolean(true);
            onCharlie(in -> groupDataFromB(in) && armed.getAndSet(false) ? List.of() : List.of(in));
            b.addSource(SourceEntry.directory("/x"));
            b.addSource(SourceEntry.directory("/y"));
            awaitAlert(c, "never arrived");
        }
    }

    @Test
    void reorderedFrames_areDetected_andTheOlderOneIsNotApplied() throws Exception {
        threeMembers();
        {
            AtomicReference<Inbound> held = new AtomicReference<>();
            AtomicBoolean armed = new AtomicBoolean(true);
            onCharlie(in -> {
                if (!groupDataFromB(in)) {
                    return List.of(in);
                }
                if (armed.getAndSet(false)) {
                    held.set(in);
                    return List.of();
                }
                Inbound h = held.getAndSet(null);
                return h == null ? List.of(in) : List.of(in, h);
            });
            b.addSource(SourceEntry.directory("/x"));
            b.addSource(SourceEntry.directory("/y"));
            awaitAlert(c, "replayed or reordered");
            assertThat(c.view().member('B').orElseThrow().sources())
                    .containsExactly(SourceEntry.directory("/x"), SourceEntry.directory("/y"));
        }
    }

    @Test
    void aModifiedFrame_failsAuthentication_andIsNotActedOn() throws Exception {
        threeMembers();
        {
            onCharlie(in -> {
                if (!groupDataFromB(in)) {
                    return List.of(in);
                }
                byte[] p = ((Message.Data) in.message()).payload();
                p[p.length - 20] ^= 1;
                return List.of(rebuilt(in, new Message.Data(List.of(), p), in.sender()));
            });
            b.addSource(SourceEntry.directory("/x"));
            awaitAlert(c, "failed authentication");
            assertThat(c.view().member('B').orElseThrow().sources()).isEmpty();
        }
    }

    @Test
    void aFrameAttributedToAnotherMember_isRefused() throws Exception {
        threeMembers();
        {
            onCharlie(in -> groupDataFromB(in) ? List.of(rebuilt(in, in.message(), a.memberId())) : List.of(in));
            b.addSource(SourceEntry.directory("/x"));
            awaitAlert(c, "claims sender");
            assertThat(c.view().member('A').orElseThrow().sources()).isEmpty();
            assertThat(c.view().member('B').orElseThrow().sources()).isEmpty();
        }
    }

    @Test
    void aMembersOrder_turnedIntoALeaderCommandFromA_isRefused() throws Exception {
        threeMembers();
        {
            onCharlie(in -> {
                if (!groupDataFromB(in)) {
                    return List.of(in);
                }
                byte[] p = ((Message.Data) in.message()).payload();
                return List.of(rebuilt(in, new Message.LeaderCommand(Message.LeaderCommand.Kind.RESTART, p), a.memberId()));
            });
            b.sendOrderAsNonLeaderForTest(Message.LeaderCommand.Kind.RESTART, new byte[0], true);
            awaitAlert(c, "refused a leader command");
            assertThat(c.view().restarts()).isZero();
        }
    }

    @Test
    void aSwappedIdentityKeyInTheMemberList_isReported_andTheAuthenticatedKeyKept() throws Exception {
        threeMembers();
        {
            String realB = c.view().member('B').orElseThrow().fingerprint();
            onCharlie(in -> {
                if (!(in.message() instanceof Message.MemberList l)) {
                    return List.of(in);
                }
                List<MemberView> swapped = new ArrayList<>();
                for (MemberView m : l.members()) {
                    MemberProfile p = m.memberId() == b.memberId()
                            ? new MemberProfile(m.profile().machineName(), m.profile().emailLabel(), ATTACKER.publicKeys().encode())
                            : m.profile();
                    swapped.add(new MemberView(m.memberId(), m.letter(), p, m.publicIp(), m.status(), m.online()));
                }
                return List.of(rebuilt(in, new Message.MemberList(l.epoch(), swapped), 0));
            });
            b.setStatus("ready");
            awaitAlert(c, "another identity key");
            assertThat(c.view().member('B').orElseThrow().fingerprint()).isEqualTo(realB);
        }
    }

    @Test
    void aRelayThatSwapsTheCandidatesAnnouncedKey_getsTheCandidateRefused() throws Exception {
        try (SessionFixture fx = SessionFixture.start(tmp)) {
            SessionClient leader = fx.create("alpha");
            fx.links.get("alpha").inbound = in -> {
                if (in.message() instanceof Message.JoinRequested jr) {
                    MemberProfile p = new MemberProfile(jr.profile().machineName(), jr.profile().emailLabel(),
                            ATTACKER.publicKeys().encode());
                    return List.of(rebuilt(in, new Message.JoinRequested(jr.candidateId(), p, jr.publicIp(), jr.hello()), 0));
                }
                return List.of(in);
            };
            assertThatThrownBy(() -> fx.join(leader, "bravo")).isInstanceOf(JoinRefusedException.class);
            assertThat(leader.alerts()).anyMatch(t -> t.contains("another identity key than the relay announced"));
            assertThat(leader.view().members()).hasSize(1);
        }
    }

    @Test
    void aRelayThatSwapsTheIdentityInsideThePakeMessages_cannotGetAnyoneAdmitted() throws Exception {
        try (SessionFixture fx = SessionFixture.start(tmp)) {
            SessionClient leader = fx.create("alpha");
            byte[] attacker = ATTACKER.publicKeys().encode();
            fx.links.get("alpha").inbound = in -> {
                if (in.message() instanceof Message.JoinRequested jr) {
                    byte[] hello = jr.hello();
                    System.arraycopy(attacker, 0, hello, 3, attacker.length);
                    MemberProfile p = new MemberProfile(jr.profile().machineName(), jr.profile().emailLabel(), attacker);
                    return List.of(rebuilt(in, new Message.JoinRequested(jr.candidateId(), p, jr.publicIp(), hello), 0));
                }
                return List.of(in);
            };
            assertThatThrownBy(() -> fx.join(leader, "bravo"))
                    .isInstanceOf(JoinRefusedException.class).hasMessageContaining("wrong session ID or password");
            assertThat(leader.view().members()).hasSize(1);

            fx.links.get("alpha").inbound = List::of;
            fx.filters.put("charlie", in -> {
                if (in.message() instanceof Message.CandidateMessage cm && cm.payload().length > 300) {
                    byte[] p = cm.payload();
                    System.arraycopy(attacker, 0, p, 3, attacker.length);
                    return List.of(rebuilt(in, new Message.CandidateMessage(List.of(), p), in.sender()));
                }
                return List.of(in);
            });
            assertThatThrownBy(() -> fx.join(leader, "charlie")).isInstanceOf(JoinRefusedException.class);
            assertThat(leader.view().members()).hasSize(1);
        }
    }

}
