package org.ciphersync.vault.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.setup.KeyOps;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.memory.MemoryBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {
    @Test
    void open_wrongPassword_failsWithExactlyWrongPassword() {
        MemoryBlobStore store = new MemoryBlobStore("t");
        Repository.create(store, Password.of("right"), TestVault.cheapKdf(), new SecureRandom(), Clock.systemUTC()).close();
        assertThatThrownBy(() -> Repository.open(store, Password.of("wrong")))
                .isInstanceOf(VaultException.class)
                .hasMessage("wrong password")
                .extracting(e -> ((VaultException) e).kind()).isEqualTo(VaultException.Kind.WRONG_PASSWORD);
    }

    @Test
    void changePassword_newOneOpens_oldOneNoLonger_andNoDataObjectChanges(@TempDir Path tmp) throws IOException {
        TestVault v = new TestVault(tmp);
        TestVault.Computer a = v.computer("a", "me").init();
        a.write("f.txt", "data");
        a.up("f.txt");
        Map<String, Long> before = snapshotOfDataObjects(v);
        KeyOps.changePassword(a.opened().repo(), Password.of("new password"), TestVault.cheapKdf());
        a.close();
        assertThatThrownBy(() -> Repository.open(v.store(), Password.of(TestVault.PASSWORD))).hasMessage("wrong password");
        try (Repository r = Repository.open(v.store(), Password.of("new password"))) {
            assertThat(r.slots()).hasSize(1);
        }
        assertThat(snapshotOfDataObjects(v)).isEqualTo(before);
    }

    @Test
    void recoveryKey_printedInGroups_opensTheVault_andAWrongOneDoesNot() {
        MemoryBlobStore store = new MemoryBlobStore("t");
        String printed;
        try (Repository r = Repository.create(store, Password.of("pw"), TestVault.cheapKdf(), new SecureRandom(), Clock.systemUTC())) {
            printed = KeyOps.newRecoveryKey(r);
        }
        assertThat(printed).matches("([0-9A-Z]{4}-){12}[0-9A-Z]{4}");
        try (SecretBytes k = RecoveryKey.parse(printed.toLowerCase().replace("-", " "));
             Repository r = Repository.openWithRecoveryKey(store, k)) {
            assertThat(r.vaultId()).hasSize(32);
        }
        char[] c = printed.toCharArray();
        c[0] = c[0] == '0' ? '1' : '0';
        try (SecretBytes wrong = RecoveryKey.parse(new String(c))) {
            assertThatThrownBy(() -> Repository.openWithRecoveryKey(store, wrong)).hasMessage("wrong recovery key");
        }
    }

    @Test
    void recoveryKey_parse_rejectsWrongLengthWithoutEchoingTheKey() {
        assertThatThrownBy(() -> RecoveryKey.parse("ABCD-EFGH")).hasMessage("the recovery key has 8 symbols, expected 52");
    }

    @Test
    void keySlotOfAnotherVault_doesNotOpenThisOne() throws IOException {
        MemoryBlobStore one = new MemoryBlobStore("1");
        MemoryBlobStore two = new MemoryBlobStore("2");
        Repository.create(one, Password.of("pw"), TestVault.cheapKdf(), new SecureRandom(), Clock.systemUTC()).close();
        Repository.create(two, Password.of("pw"), TestVault.cheapKdf(), new SecureRandom(), Clock.systemUTC()).close();
        // replace vault two's slot by vault one's: same password, but bound to another vault id
        var slotOne = one.listAll(BlobType.KEY).get(0).name();
        for (var i : two.listAll(BlobType.KEY)) {
            two.delete(i.name());
        }
        two.save(slotOne, org.ciphersync.vault.store.BlobSource.of(one.loadBytes(slotOne)));
        assertThatThrownBy(() -> Repository.open(two, Password.of("pw"))).hasMessage("wrong password");
    }

    private static Map<String, Long> snapshotOfDataObjects(TestVault v) throws IOException {
        Map<String, Long> m = new java.util.TreeMap<>();
        for (BlobType t : List.of(BlobType.PACK, BlobType.INDEX, BlobType.SNAPSHOT, BlobType.CONFIG)) {
            for (var i : v.store().listAll(t)) {
                m.put(i.name().toString(), Files.getLastModifiedTime(v.vaultDir.resolve(i.name().path())).toMillis() ^ i.size());
            }
        }
        return m;
    }
}
