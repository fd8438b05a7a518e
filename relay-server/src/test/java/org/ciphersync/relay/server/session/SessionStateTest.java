package org.ciphersync.relay.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.ciphersync.relay.protocol.message.MemberProfile;
import org.ciphersync.relay.protocol.message.MemberView;
import org.ciphersync.relay.protocol.session.SessionId;
import org.junit.jupiter.api.Test;

class SessionStateTest {

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    static MemberRecord member(int id) {
        return new MemberRecord(id, new MemberProfile("pc-" + id, "", new byte[0]), "10.0.0." + id, "", T0, null, new byte[32]);
    }

    static SessionState withMembers(int... ids) {
        SessionState s = SessionState.create(new SessionId(77), T0);
        for (int id : ids) {
            while (s.nextId() <= id) {
                s = s.allocateId();
            }
            s = s.withMember(member(id));
        }
        return s;
    }

    static String letters(SessionState s) {
        StringBuilder sb = new StringBuilder();
        for (MemberView v : s.view().members()) {
            sb.append(v.letter()).append(v.memberId()).append(' ');
        }
        return sb.toString().strip();
    }

    @Test
    void lettersFollowJoinOrder() {
        assertThat(letters(withMembers(1, 2, 3, 4, 5))).isEqualTo("A1 B2 C3 D4 E5");
    }

    @Test
    void whenBLeaves_cBecomesB_andNoLetterIsMissing() {
        assertThat(letters(withMembers(1, 2, 3, 4).without(2))).isEqualTo("A1 B3 C4");
    }

    @Test
    void whenALeaves_theNextMemberLeads() {
        SessionState s = withMembers(1, 2, 3).without(1);
        assertThat(s.isLeader(2)).isTrue();
        assertThat(s.isLeader(1)).isFalse();
        assertThat(letters(s)).isEqualTo("A2 B3");
    }

    @Test
    void aSixthMember_isRefused() {
        SessionState full = withMembers(1, 2, 3, 4, 5).allocateId();
        assertThat(full.full()).isTrue();
        assertThatThrownBy(() -> full.withMember(member(6))).isInstanceOf(IllegalStateException.class).hasMessageContaining("5 members");
    }

    @Test
    void epoch_growsOnJoinAndLeave_butNotOnStatus() {
        SessionState s = withMembers(1, 2);
        long e = s.epoch();
        assertThat(s.withStatus(2, "busy").epoch()).isEqualTo(e);
        assertThat(s.without(2).epoch()).isEqualTo(e + 1);
        assertThat(s.without(99)).isSameAs(s);
    }

    @Test
    void sponsor_isTheLeaderIfOnline_elseTheFirstOnlineMember() {
        SessionState s = withMembers(1, 2, 3);
        assertThat(s.sponsor()).hasValueSatisfying(m -> assertThat(m.memberId()).isEqualTo(1));
        s = s.offline(1, T0);
        assertThat(s.sponsor()).hasValueSatisfying(m -> assertThat(m.memberId()).isEqualTo(2));
        assertThat(s.offline(2, T0).offline(3, T0).sponsor()).isEmpty();
    }

    @Test
    void offlineMember_keepsItsLetter() {
        SessionState s = withMembers(1, 2, 3).offline(2, T0);
        assertThat(letters(s)).isEqualTo("A1 B2 C3");
        assertThat(s.view().members().get(1).online()).isFalse();
        assertThat(s.online(2, "10.9.9.9", new byte[32]).view().members().get(1).online()).isTrue();
    }

    @Test
    void allocatedIds_areNeverReused() {
        SessionState s = withMembers(1, 2).without(2).allocateId();
        assertThat(s.nextId()).isEqualTo(4);
        assertThatThrownBy(() -> new SessionState(s.id(), T0, java.util.List.of(member(9)), 5, 0)).hasMessageContaining("not below next id");
    }

    @Test
    void toString_holdsNoResumeTokenHash() {
        MemberRecord m = new MemberRecord(1, new MemberProfile("pc", "", new byte[0]), "1.2.3.4", "", T0, null, new byte[] {0x5A, 0x5A});
        assertThat(m.toString()).doesNotContain("90").doesNotContain("[Z");
    }
}
