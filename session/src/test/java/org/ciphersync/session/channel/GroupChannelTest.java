package org.ciphersync.session.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.frame.FrameType;
import org.ciphersync.relay.protocol.session.SessionId;
import org.junit.jupiter.api.Test;

class GroupChannelTest {
    private static final SessionId SESSION = new SessionId(0x1234_5678L);
    private final SecretBytes key = SecretBytes.random(new SecureRandom(), 32);

    private GroupChannel member(int id) {
        GroupChannel c = new GroupChannel(SESSION, id);
        c.install(1, key, false);
        return c;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void seal_thenOpenByAnotherMember_returnsThePlaintextSenderAndSequence() throws Exception {
        GroupChannel a = member(1);
        GroupChannel b = member(2);
        byte[] f0 = a.seal(FrameType.DATA, utf8("hello"));
        byte[] f1 = a.seal(FrameType.DATA, utf8("again"));

        GroupChannel.Opened o0 = b.open(FrameType.DATA, 1, f0);
        GroupChannel.Opened o1 = b.open(FrameType.DATA, 1, f1);

        assertThat(new String(o0.plaintext(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(o0.sequence()).isZero();
        assertThat(o1.sequence()).isEqualTo(1);
        assertThat(o1.missed()).isZero();
        assertThat(o0.sender()).isEqualTo(1);
    }

    @Test
    void seal_producesTheDocumentedHeaderLayout() {
        GroupChannel a = member(7);
        a.seal(FrameType.DATA, new byte[0]);
        byte[] f = a.seal(FrameType.DATA, utf8("x"));
        assertThat(HexFormat.of().formatHex(f, 0, GroupChannel.HEADER))
                .isEqualTo("47" + "0000000000000001" + "00000007" + "0000000000000001");
        assertThat(f).hasSize(GroupChannel.HEADER + 1 + GroupChannel.TAG);
    }

    @Test
    void open_aReplayedFrame_isRefused() throws Exception {
        GroupChannel a = member(1);
        GroupChannel b = member(2);
        byte[] f0 = a.seal(FrameType.DATA, utf8("once"));
        b.open(FrameType.DATA, 1, f0);
        assertThatThrownBy(() -> b.open(FrameType.DATA, 1, f0))
                .isInstanceOf(ChannelException.class).hasMessageContaining("replayed or reordered");
    }

    @Test
    void open_anOlderFrameAfterANewerOne_isRefused_andTheGapIsCounted() throws Exception {
        GroupChannel a = member(1);
        GroupChannel b = member(2);
        byte[] f0 = a.seal(FrameType.DATA, utf8("first"));
        byte[] f1 = a.seal(FrameType.DATA, utf8("second"));
        assertThat(b.open(FrameType.DATA, 1, f1).missed()).isEqualTo(1);
        assertThatThrownBy(() -> b.open(FrameType.DATA, 1, f0)).isInstanceOf(ChannelException.class);
    }

    @Test
    void open_aFlippedBit_failsAuthentication() {
        GroupChannel a = member(1);
        GroupChannel b = member(2);
        byte[] f = a.seal(FrameType.DATA, utf8("payload"));
        for (int i = 1; i < f.length; i++) {
            byte[] g = f.clone();
            g[i] ^= 0x01;
            assertThatThrownBy(() -> b.open(FrameType.DATA, 1, g)).as("bit flipped at byte " + i).isInstanceOf(ChannelException.class);
        }
    }

    @Test
    void open_underAnotherFrameTypeSenderOrSession_isRefused() {
        GroupChannel a = member(1);
        byte[] f = a.seal(FrameType.DATA, utf8("payload"));
        assertThatThrownBy(() -> member(2).open(FrameType.LEADER_COMMAND, 1, f))
                .isInstanceOf(ChannelException.class).hasMessageContaining("failed authentication");
        assertThatThrownBy(() -> member(2).open(FrameType.DATA, 3, f))
                .isInstanceOf(ChannelException.class).hasMessageContaining("claims sender");
        GroupChannel otherSession = new GroupChannel(new SessionId(99), 2);
        otherSession.install(1, key, false);
        assertThatThrownBy(() -> otherSession.open(FrameType.DATA, 1, f))
                .isInstanceOf(ChannelException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void open_keepsTheTwoPreviousEpochsOnly() throws Exception {
        GroupChannel a = member(1);
        GroupChannel b = member(2);
        byte[] e1 = a.seal(FrameType.DATA, utf8("epoch 1"));
        try (SecretBytes k2 = SecretBytes.random(new SecureRandom(), 32); SecretBytes k3 = SecretBytes.random(new SecureRandom(), 32);
             SecretBytes k4 = SecretBytes.random(new SecureRandom(), 32)) {
            b.install(2, k2, false);
            b.install(3, k3, false);
            assertThat(b.open(FrameType.DATA, 1, e1).epoch()).as("two rotations later").isEqualTo(1);
            b.install(4, k4, false);
            byte[] e1b = a.seal(FrameType.DATA, utf8("epoch 1 again"));
            assertThatThrownBy(() -> b.open(FrameType.DATA, 1, e1b))
                    .isInstanceOf(ChannelException.class).hasMessageContaining("key epoch 1");
        }
    }

    @Test
    void install_refusesAnEpochThatDoesNotIncrease() {
        GroupChannel a = member(1);
        assertThatThrownBy(() -> a.install(1, key, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exceed");
    }

    @Test
    void inTheJoinEpoch_theFirstFrameOfASenderSetsTheBaseline() throws Exception {
        GroupChannel a = member(1);
        a.seal(FrameType.DATA, utf8("before the join"));
        byte[] f = a.seal(FrameType.DATA, utf8("after the join"));
        GroupChannel joiner = new GroupChannel(SESSION, 5);
        joiner.install(1, key, true);
        assertThat(joiner.open(FrameType.DATA, 1, f).missed()).isZero();
    }

    @Test
    void toString_revealsNoKey() {
        assertThat(member(1).toString()).contains("redacted").doesNotContain(HexFormat.of().formatHex(key.expose()));
    }
}
