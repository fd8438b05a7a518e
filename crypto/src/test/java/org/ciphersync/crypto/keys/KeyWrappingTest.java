package org.ciphersync.crypto.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.WrongPasswordException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

class KeyWrappingTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AeadContext CTX = AeadContext.vault("vault-1", "", "root-key-wrap", new byte[] {1}, 0);

    @Test
    void wrapThenUnwrap_returnsTheKey_andAnotherKekIsAWrongPassword() throws Exception {
        try (SecretBytes root = KeyHierarchy.newRootKey(RANDOM); SecretBytes kek = SecretBytes.random(RANDOM, 32);
             SecretBytes other = SecretBytes.random(RANDOM, 32)) {
            byte[] wrapped = KeyWrapping.wrap(kek, root, CTX);
            assertThat(wrapped).hasSize(KeyWrapping.WRAPPED_LENGTH);
            try (SecretBytes back = KeyWrapping.unwrap(kek, wrapped, CTX)) {
                assertThat(back.constantTimeEquals(root)).isTrue();
            }
            assertThatThrownBy(() -> KeyWrapping.unwrap(other, wrapped, CTX)).isInstanceOf(WrongPasswordException.class)
                    .hasMessageContaining("wrong password or recovery key");
            assertThatThrownBy(() -> KeyWrapping.unwrap(kek, wrapped, CTX.withIndex(1))).isInstanceOf(WrongPasswordException.class);
            assertThatThrownBy(() -> KeyWrapping.unwrap(kek, new byte[10], CTX)).isInstanceOf(MalformedCiphertextException.class);
        }
    }

    @Test
    void recoveryKey_textAsTyped_parsesToTheSameKey_andWrapsTheRootKey() throws Exception {
        try (Password shown = RecoveryKey.generate(RANDOM)) {
            String text = new String(shown.expose());
            assertThat(text).matches("([0-9A-HJKMNP-TV-Z]{4}-){12}[0-9A-HJKMNP-TV-Z]{3}");
            try (SecretBytes a = RecoveryKey.parse(shown);
                 SecretBytes b = RecoveryKey.parse(Password.of(text.toLowerCase().replace('-', ' ')));
                 SecretBytes root = KeyHierarchy.newRootKey(RANDOM)) {
                assertThat(a.constantTimeEquals(b)).isTrue();
                byte[] wrapped = KeyWrapping.wrap(a, root, CTX);
                try (SecretBytes back = KeyWrapping.unwrap(b, wrapped, CTX)) {
                    assertThat(back.constantTimeEquals(root)).isTrue();
                }
            }
        }
    }

    @Test
    void recoveryKey_wrongLengthOrCharacters_isRefusedSayingWhat() {
        assertThatThrownBy(() -> RecoveryKey.parse(Password.of("ABCD-EFGH"))).isInstanceOf(MalformedCiphertextException.class)
                .hasMessageContaining("8 symbols, expected 51");
        assertThatThrownBy(() -> RecoveryKey.parse(Password.of("ABCU"))).isInstanceOf(MalformedCiphertextException.class)
                .hasMessageContaining("position 4");
    }
}
