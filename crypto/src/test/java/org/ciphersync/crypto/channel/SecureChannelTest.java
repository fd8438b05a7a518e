package org.ciphersync.crypto.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.ciphersync.crypto.AuthenticationFailedException;
import org.ciphersync.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

class SecureChannelTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretBytes ab = SecretBytes.random(RANDOM, 32);
    private final SecretBytes ba = SecretBytes.random(RANDOM, 32);
    private final SecureChannel alice = new SecureChannel(ab, ba, "join");
    private final SecureChannel bob = new SecureChannel(ba, ab, "join");

    @Test
    void framesInOrder_openInBothDirections() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(bob.open(alice.seal(("a" + i).getBytes()))).isEqualTo(("a" + i).getBytes());
            assertThat(alice.open(bob.seal(("b" + i).getBytes()))).isEqualTo(("b" + i).getBytes());
        }
    }

    @Test
    void droppedFrame_isDetectedOnTheNextOne_andTheChannelStaysBroken() throws Exception {
        alice.seal("lost".getBytes());
        byte[] second = alice.seal("second".getBytes());
        assertThatThrownBy(() -> bob.open(second)).isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("frame 0");
        assertThatThrownBy(() -> bob.open(second)).hasMessageContaining("already failed");
    }

    @Test
    void replayedOrReflectedFrame_isRejected() throws Exception {
        byte[] f = alice.seal("once".getBytes());
        bob.open(f);
        assertThatThrownBy(() -> bob.open(f)).isInstanceOf(AuthenticationFailedException.class);
        byte[] g = alice.seal("to bob".getBytes());
        assertThatThrownBy(() -> alice.open(g)).as("reflected back to its sender").isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void modifiedFrameOrOtherLabel_isRejected() throws Exception {
        byte[] f = alice.seal("data".getBytes());
        f[0] ^= 1;
        assertThatThrownBy(() -> bob.open(f)).isInstanceOf(AuthenticationFailedException.class);
        SecureChannel otherLabel = new SecureChannel(ba, ab, "session");
        assertThatThrownBy(() -> otherLabel.open(new SecureChannel(ab, ba, "join").seal("x".getBytes())))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void sameKeyForBothDirections_isRefused() {
        assertThatThrownBy(() -> new SecureChannel(ab, ab.copy(), "x")).hasMessageContaining("must differ");
    }
}
