package org.ciphersync.crypto.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.ciphersync.crypto.AuthenticationFailedException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

class KeyHierarchyTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void namespaces_getDistinctKeys_forEveryPurpose() {
        try (SecretBytes root = KeyHierarchy.newRootKey(RANDOM);
             NamespaceKeys a = KeyHierarchy.namespace(root, "app.mail");
             NamespaceKeys b = KeyHierarchy.namespace(root, "app.notes");
             NamespaceKeys a2 = KeyHierarchy.namespace(root, "app.mail")) {
            SecretBytes[] all = {a.dataKey(), a.chunkIdKey(), a.indexKey(), a.namesKey(), b.dataKey(), b.chunkIdKey(), b.indexKey(), b.namesKey()};
            for (int i = 0; i < all.length; i++) {
                for (int j = i + 1; j < all.length; j++) {
                    assertThat(all[i].constantTimeEquals(all[j])).as("keys %d and %d", i, j).isFalse();
                }
            }
            assertThat(a.dataKey().constantTimeEquals(a2.dataKey())).as("deterministic").isTrue();
        }
    }

    @Test
    void oneNamespacesKeys_decryptNothingOfAnother_evenWithTheSameContext() {
        try (SecretBytes root = KeyHierarchy.newRootKey(RANDOM);
             NamespaceKeys mail = KeyHierarchy.namespace(root, "app.mail");
             NamespaceKeys notes = KeyHierarchy.namespace(root, "app.notes")) {
            AeadContext ctx = AeadContext.vault("v", "app.mail", "chunk", new byte[] {1}, 0);
            byte[] sealed = new Envelope(mail.dataKey()).seal(ctx, "mail body".getBytes());
            assertThatThrownBy(() -> new Envelope(notes.dataKey()).open(ctx, sealed))
                    .isInstanceOf(AuthenticationFailedException.class);
        }
    }

    @Test
    void namespace_invalidName_isRefusedWithTheName() {
        try (SecretBytes root = KeyHierarchy.newRootKey(RANDOM)) {
            for (String bad : new String[] {"", "App", "../x", "a b", "x".repeat(65), "-start"}) {
                assertThatThrownBy(() -> KeyHierarchy.namespace(root, bad)).as(bad)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
            }
        }
    }

    @Test
    void sessionChannelKeys_differPerSenderAndEpoch() {
        try (SecretBytes group = KeyHierarchy.newRootKey(RANDOM);
             SecretBytes a0 = KeyHierarchy.sessionChannelKey(group, "S-1", 0, new byte[] {1});
             SecretBytes b0 = KeyHierarchy.sessionChannelKey(group, "S-1", 0, new byte[] {2});
             SecretBytes a1 = KeyHierarchy.sessionChannelKey(group, "S-1", 1, new byte[] {1});
             SecretBytes chain = KeyHierarchy.chainKey(group)) {
            assertThat(a0.constantTimeEquals(b0)).isFalse();
            assertThat(a0.constantTimeEquals(a1)).isFalse();
            assertThat(a0.constantTimeEquals(chain)).isFalse();
        }
    }

    @Test
    void namespaceKeys_toString_showsOnlyTheName() {
        try (SecretBytes root = KeyHierarchy.newRootKey(RANDOM); NamespaceKeys a = KeyHierarchy.namespace(root, "files")) {
            assertThat(a.toString()).isEqualTo("NamespaceKeys[files, redacted]");
        }
    }
}
