package org.ciphersync.session.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ciphersync.crypto.identity.Identity;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.session.SessionId;
import org.junit.jupiter.api.Test;

class RekeyTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SessionId SESSION = new SessionId(4242);
    private final Identity leader = Identity.generate(RANDOM);
    private final Identity b = Identity.generate(RANDOM);
    private final Identity c = Identity.generate(RANDOM);
    private final Identity left = Identity.generate(RANDOM);
    private final SecretBytes key = SecretBytes.random(RANDOM, 32);

    private byte[] rotation() throws Exception {
        Map<Integer, IdentityPublicKeys> to = new LinkedHashMap<>();
        to.put(2, b.publicKeys());
        to.put(3, c.publicKeys());
        return Rekey.build(SESSION, 7, 1, leader, key, to, RANDOM);
    }

    @Test
    void everyRecipient_unwrapsTheSameKey() throws Exception {
        Rekey.Parsed p = Rekey.parse(rotation());
        assertThat(p.epoch()).isEqualTo(7);
        assertThat(p.wraps().keySet()).containsExactly(2, 3);
        try (SecretBytes kb = Rekey.unwrap(SESSION, p, leader.publicKeys(), 2, b);
             SecretBytes kc = Rekey.unwrap(SESSION, p, leader.publicKeys(), 3, c)) {
            assertThat(kb.constantTimeEquals(key)).isTrue();
            assertThat(kc.constantTimeEquals(key)).isTrue();
        }
    }

    @Test
    void aMemberThatLeft_isNotARecipient_andCannotUnwrapAnothersCopy() throws Exception {
        Rekey.Parsed p = Rekey.parse(rotation());
        assertThatThrownBy(() -> Rekey.unwrap(SESSION, p, leader.publicKeys(), 4, left))
                .isInstanceOf(ChannelException.class).hasMessageContaining("no key for this member");
        assertThatThrownBy(() -> Rekey.unwrap(SESSION, p, leader.publicKeys(), 2, left))
                .isInstanceOf(ChannelException.class).hasMessageContaining("does not open");
    }

    @Test
    void aRotationSignedByAnotherKey_isRefused() throws Exception {
        Rekey.Parsed p = Rekey.parse(rotation());
        assertThatThrownBy(() -> Rekey.unwrap(SESSION, p, b.publicKeys(), 3, c))
                .isInstanceOf(ChannelException.class).hasMessageContaining("invalid signature");
    }

    @Test
    void aModifiedRotation_isRefused() throws Exception {
        byte[] r = rotation();
        r[5] ^= 1; // the epoch
        Rekey.Parsed p = Rekey.parse(r);
        assertThatThrownBy(() -> Rekey.unwrap(SESSION, p, leader.publicKeys(), 2, b)).isInstanceOf(ChannelException.class);
    }

    @Test
    void aRotationFromAnotherSession_isRefused() throws Exception {
        Rekey.Parsed p = Rekey.parse(rotation());
        assertThatThrownBy(() -> Rekey.unwrap(new SessionId(4243), p, leader.publicKeys(), 2, b))
                .isInstanceOf(ChannelException.class).hasMessageContaining("invalid signature");
    }
}
