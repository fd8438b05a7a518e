package org.ciphersync.crypto.pake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.ciphersync.crypto.PakeFailedException;
import org.ciphersync.crypto.channel.SecureChannel;
import org.ciphersync.crypto.identity.Identity;
import org.ciphersync.crypto.secret.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PakeSessionTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SESSION = "S-4F7Q-2K";
    private final Identity creatorId = Identity.generate(RANDOM);
    private final Identity joinerId = Identity.generate(RANDOM);

    /** Runs all rounds; {@code tamper} may change a message in flight (index 0..5: c1, j1, c2, j2, c3, j3). */
    private record Outcome(PakeResult creator, PakeResult joiner, Exception creatorError, Exception joinerError) {
    }

    private interface Tamper {
        byte[] apply(int index, byte[] message);
    }

    private Outcome run(String creatorPw, String joinerPw, String creatorSession, String joinerSession, Tamper tamper) {
        PakeSession c = PakeSession.creator(creatorSession, Password.of(creatorPw), creatorId, RANDOM);
        PakeSession j = PakeSession.joiner(joinerSession, Password.of(joinerPw), joinerId, RANDOM);
        Exception ce = null;
        Exception je = null;
        PakeResult cr = null;
        PakeResult jr = null;
        byte[] c1 = tamper.apply(0, c.round1());
        byte[] j1 = tamper.apply(1, j.round1());
        try {
            c.receiveRound1(j1);
        } catch (PakeFailedException e) {
            ce = e;
        }
        try {
            j.receiveRound1(c1);
        } catch (PakeFailedException e) {
            je = e;
        }
        if (ce != null || je != null) {
            return new Outcome(null, null, ce, je);
        }
        byte[] c2 = tamper.apply(2, c.round2());
        byte[] j2 = tamper.apply(3, j.round2());
        try {
            c.receiveRound2(j2);
        } catch (PakeFailedException e) {
            ce = e;
        }
        try {
            j.receiveRound2(c2);
        } catch (PakeFailedException e) {
            je = e;
        }
        if (ce != null || je != null) {
            return new Outcome(null, null, ce, je);
        }
        byte[] c3 = tamper.apply(4, c.confirmation());
        byte[] j3 = tamper.apply(5, j.confirmation());
        try {
            cr = c.receiveConfirmation(j3);
        } catch (PakeFailedException e) {
            ce = e;
        }
        try {
            jr = j.receiveConfirmation(c3);
        } catch (PakeFailedException e) {
            je = e;
        }
        return new Outcome(cr, jr, ce, je);
    }

    private Outcome run(String creatorPw, String joinerPw) {
        return run(creatorPw, joinerPw, SESSION, SESSION, (i, m) -> m);
    }

    @Test
    void equalPasswords_agreeOnKeys_andLearnEachOthersAuthenticatedIdentity() throws Exception {
        Outcome o = run("7KQ3-M9XD-2HPA", "7KQ3-M9XD-2HPA");
        assertThat(o.creatorError()).isNull();
        assertThat(o.joinerError()).isNull();
        assertThat(o.creator().sendKey().constantTimeEquals(o.joiner().receiveKey())).isTrue();
        assertThat(o.creator().receiveKey().constantTimeEquals(o.joiner().sendKey())).isTrue();
        assertThat(o.creator().sendKey().constantTimeEquals(o.creator().receiveKey())).isFalse();
        assertThat(o.creator().transcriptHash()).isEqualTo(o.joiner().transcriptHash());
        assertThat(o.creator().peer()).isEqualTo(joinerId.publicKeys());
        assertThat(o.joiner().peer()).isEqualTo(creatorId.publicKeys());

        SecureChannel c = new SecureChannel(o.creator().sendKey(), o.creator().receiveKey(), "join");
        SecureChannel j = new SecureChannel(o.joiner().sendKey(), o.joiner().receiveKey(), "join");
        assertThat(j.open(c.seal("group key".getBytes()))).isEqualTo("group key".getBytes());
    }

    @Test
    void passwordTypedInLowerCaseWithoutHyphens_stillAgrees() {
        Outcome o = run("7KQ3-M9XD-2HP0", "7kq3 m9xd 2hpo");
        assertThat(o.creatorError()).isNull();
        assertThat(o.joinerError()).isNull();
    }

    @Test
    void differentPasswords_failOnBothSides_withAClearMessage() {
        Outcome o = run("7KQ3-M9XD-2HPA", "7KQ3-M9XD-2HPB");
        assertThat(o.creatorError()).isInstanceOf(PakeFailedException.class)
                .hasMessageContaining("session password does not match").hasMessageNotContaining("7KQ3");
        assertThat(o.joinerError()).isInstanceOf(PakeFailedException.class)
                .hasMessageContaining("session password does not match");
        assertThat(o.creator()).isNull();
        assertThat(o.joiner()).isNull();
    }

    @Test
    void differentSessionIds_failOnBothSides() {
        Outcome o = run("7KQ3-M9XD-2HPA", "7KQ3-M9XD-2HPA", SESSION, "S-OTHER", (i, m) -> m);
        assertThat(o.creatorError()).isInstanceOf(PakeFailedException.class);
        assertThat(o.joinerError()).isInstanceOf(PakeFailedException.class);
    }

    @ParameterizedTest(name = "message {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void aModifiedByte_inAnyMessageOfAnyRound_makesTheRunFail(int which) {
        int[] offsets = {3, 10, 40, 70, 100, 150, 200, 262};
        for (int off : offsets) {
            Outcome o = run("7KQ3-M9XD-2HPA", "7KQ3-M9XD-2HPA", SESSION, SESSION, (i, m) -> {
                if (i != which) {
                    return m;
                }
                byte[] t = m.clone();
                t[Math.min(off, t.length - 1)] ^= 0x04;
                return t;
            });
            assertThat(o.creatorError() != null || o.joinerError() != null).as("message %d offset %d", which, off).isTrue();
            assertThat(o.creator() != null && o.joiner() != null).as("nobody may end with keys for a tampered run").isFalse();
        }
    }

    @Test
    void substitutedIdentityInRoundOne_isDetectedAtConfirmation() {
        Identity mallory = Identity.generate(RANDOM);
        Outcome o = run("7KQ3-M9XD-2HPA", "7KQ3-M9XD-2HPA", SESSION, SESSION, (i, m) -> {
            if (i != 1) {
                return m;
            }
            byte[] t = m.clone();
            System.arraycopy(mallory.publicKeys().encode(), 0, t, 3, 65);
            return t;
        });
        assertThat(o.creatorError()).isInstanceOf(PakeFailedException.class);
        assertThat(o.joinerError()).isInstanceOf(PakeFailedException.class);
    }

    @Test
    void wrongLengthOrRoleOrType_isRefusedAsModified() {
        PakeSession c = PakeSession.creator(SESSION, Password.of("x"), creatorId, RANDOM);
        PakeSession other = PakeSession.creator(SESSION, Password.of("x"), joinerId, RANDOM);
        c.round1();
        byte[] sameRole = other.round1();
        assertThatThrownBy(() -> c.receiveRound1(sameRole)).isInstanceOf(PakeFailedException.class)
                .hasMessageContaining("role");
        PakeSession c2 = PakeSession.creator(SESSION, Password.of("x"), creatorId, RANDOM);
        c2.round1();
        assertThatThrownBy(() -> c2.receiveRound1(new byte[10])).isInstanceOf(PakeFailedException.class)
                .hasMessageContaining("10 bytes");
    }

    @Test
    void stepsOutOfOrder_areProgrammingErrors() {
        PakeSession c = PakeSession.creator(SESSION, Password.of("x"), creatorId, RANDOM);
        assertThatThrownBy(c::round2).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(c::confirmation).isInstanceOf(IllegalStateException.class);
        c.round1();
        assertThatThrownBy(c::round1).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void messages_haveTheDocumentedFixedLengths() {
        PakeSession c = PakeSession.creator(SESSION, Password.of("x"), creatorId, RANDOM);
        assertThat(c.round1()).hasSize(PakeSession.ROUND1_LENGTH).hasSize(264);
        assertThat(PakeSession.ROUND2_LENGTH).isEqualTo(101);
        assertThat(PakeSession.ROUND3_LENGTH).isEqualTo(99);
        assertThat(c.toString()).doesNotContain("x]").contains("creator");
    }
}
