package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.store.memory.MemoryBlobStore;
import org.ciphersync.vault.tree.BlobId;
import org.junit.jupiter.api.Test;

/** V7: one namespace's keys decrypt nothing of another's, and dedup never crosses namespaces. */
class NamespaceIsolationTest {
    @Test
    void blobSealedInOneNamespace_doesNotOpenWithAnothersKeys() {
        try (Repository r = Repository.create(new MemoryBlobStore(), Password.of("pw"), TestVault.cheapKdf(), new SecureRandom(),
                Clock.systemUTC());
             BlobCodec mail = r.codec("app.mail");
             BlobCodec notes = r.codec("app.notes")) {
            byte[] secret = "the mail app's secret".getBytes(StandardCharsets.UTF_8);
            BlobId id = mail.idOf(secret, 0, secret.length);
            byte[] sealed = mail.seal(id, secret, 0, secret.length);
            assertThat(mail.open(id, sealed, 0, sealed.length, secret.length, "test")).isEqualTo(secret);
            assertThatThrownBy(() -> notes.open(id, sealed, 0, sealed.length, secret.length, "test"))
                    .isInstanceOf(VaultException.class).hasMessageContaining("failed authentication");
        }
    }

    @Test
    void sameContentInTwoNamespaces_hasDifferentIds_soDedupNeverCrosses() {
        try (Repository r = Repository.create(new MemoryBlobStore(), Password.of("pw"), TestVault.cheapKdf(), new SecureRandom(),
                Clock.systemUTC());
             BlobCodec a = r.codec("files");
             BlobCodec b = r.codec("app.notes")) {
            byte[] data = "same bytes".getBytes(StandardCharsets.UTF_8);
            assertThat(a.idOf(data, 0, data.length)).isNotEqualTo(b.idOf(data, 0, data.length));
            assertThat(r.keys().tag("files")).isNotEqualTo(r.keys().tag("app.notes"));
        }
    }

    @Test
    void logsOfOneNamespace_areInvisibleToAnother(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        TestVault v = new TestVault(tmp);
        TestVault.Computer a = v.computer("a", "me").init();
        a.write("f.txt", "x");
        UpSync.run(a.opened().repo(), a.opened().computer(), "app.mail", java.util.List.of(a.home.resolve("f.txt")), Progress.NONE);
        assertThat(a.opened().repo().logs("app.mail")).hasSize(1);
        assertThat(a.opened().repo().logs("files")).isEmpty();
        a.close();
    }
}
