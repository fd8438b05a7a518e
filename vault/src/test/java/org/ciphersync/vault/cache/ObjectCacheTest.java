package org.ciphersync.vault.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.check.CheckReport;
import org.ciphersync.vault.check.VaultCheck;
import org.ciphersync.vault.repo.VaultView;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.FaultInjectingBlobStore;
import org.ciphersync.vault.store.FaultInjectingBlobStore.Op;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commits and index objects are read from the storage once, then from the local cache; verified either way. */
class ObjectCacheTest {
    @TempDir
    Path root;
    TestVault vault;
    TestVault.Computer a;

    @BeforeEach
    void threeUpSyncs() throws IOException {
        vault = new TestVault(root);
        a = vault.computer("a", "alice").init();
        for (int i = 0; i < 3; i++) {
            a.write("docs/f" + i + ".txt", "content " + i);
            a.up("docs");
        }
        a.close();
    }

    private VaultSetup.Opened open(FaultInjectingBlobStore store) {
        return VaultSetup.open(store, Password.of(TestVault.PASSWORD), a.dirs, a.user, Clock.systemUTC());
    }

    private Path cacheDir() throws IOException {
        try (Stream<Path> s = Files.walk(a.dirs.cache())) {
            return s.filter(p -> p.getFileName().toString().equals("objects")).findFirst().orElseThrow();
        }
    }

    private void dropCache() throws IOException {
        try (Stream<Path> s = Files.walk(a.dirs.cache())) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aSecondReadOfTheVaultLoadsNoCommitOrIndexObjectFromTheStorage() throws IOException {
        dropCache();
        FaultInjectingBlobStore first = new FaultInjectingBlobStore(vault.store());
        VaultView v1;
        try (VaultSetup.Opened o = open(first)) {
            v1 = VaultView.load(o.repo(), TestVault.NS);
        }
        assertThat(first.calls(Op.LOAD)).as("3 commits and 3 index objects, once each").isGreaterThanOrEqualTo(6);
        assertThat(first.calls(Op.STAT)).as("no size query before a whole-object read").isZero();

        FaultInjectingBlobStore second = new FaultInjectingBlobStore(vault.store());
        try (VaultSetup.Opened o = open(second)) {
            VaultView v2 = VaultView.load(o.repo(), TestVault.NS);
            assertThat(v2.index().keySet()).isEqualTo(v1.index().keySet());
            assertThat(v2.logs().values().stream().mapToInt(List::size).sum()).isEqualTo(3);
        }
        assertThat(second.calls(Op.LOAD)).as("only the config and the key slot, which are not cached")
                .isEqualTo(first.calls(Op.LOAD) - 6).isEqualTo(2);
        assertThat(second.calls(Op.LIST)).as("which objects exist is still asked of the storage").isPositive();
    }

    @Test
    void aDamagedCopyIsDroppedAndReadAgainFromTheStorage() throws IOException {
        try (VaultSetup.Opened o = open(new FaultInjectingBlobStore(vault.store()))) {
            VaultView.load(o.repo(), TestVault.NS);
        }
        List<Path> copies;
        try (Stream<Path> s = Files.walk(cacheDir())) {
            copies = s.filter(Files::isRegularFile).toList();
        }
        assertThat(copies).hasSizeGreaterThanOrEqualTo(6);
        for (Path p : copies) {
            byte[] b = Files.readAllBytes(p);
            b[b.length / 2] ^= 1;
            Files.write(p, b);
        }
        FaultInjectingBlobStore store = new FaultInjectingBlobStore(vault.store());
        try (VaultSetup.Opened o = open(store)) {
            assertThat(VaultView.load(o.repo(), TestVault.NS).logs().values().stream().mapToInt(List::size).sum()).isEqualTo(3);
        }
        FaultInjectingBlobStore intact = new FaultInjectingBlobStore(vault.store());
        try (VaultSetup.Opened o = open(intact)) {
            VaultView.load(o.repo(), TestVault.NS);
        }
        assertThat(store.calls(Op.LOAD)).as("every damaged copy read again").isEqualTo(intact.calls(Op.LOAD) + copies.size());
        for (Path p : copies) {
            assertThat(p).hasSameBinaryContentAs(vault.vaultDir.resolve(p.getParent().getFileName().toString()).resolve(p.getFileName()));
        }
    }

    @Test
    void aDeletedCommitIsStillNoticedThoughItsCopyIsCached() throws IOException {
        try (VaultSetup.Opened o = open(new FaultInjectingBlobStore(vault.store()))) {
            VaultView.load(o.repo(), TestVault.NS);
        }
        Path commit;
        try (Stream<Path> s = Files.list(vault.vaultDir.resolve(BlobType.SNAPSHOT.folder()))) {
            commit = s.filter(p -> p.getFileName().toString().endsWith(".0000000001")).findFirst().orElseThrow();
        }
        Files.delete(commit);
        try (VaultSetup.Opened o = open(new FaultInjectingBlobStore(vault.store()))) {
            assertThatThrownBy(() -> VaultView.load(o.repo(), TestVault.NS))
                    .isInstanceOf(VaultException.class).hasMessageContaining("missing commit 1");
        }
    }

    @Test
    void checkReadsTheStorageNotTheCache() throws IOException {
        try (VaultSetup.Opened o = open(new FaultInjectingBlobStore(vault.store()))) {
            VaultView.load(o.repo(), TestVault.NS);
        }
        Path index;
        try (Stream<Path> s = Files.list(vault.vaultDir.resolve(BlobType.INDEX.folder()))) {
            index = s.findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(index);
        b[b.length - 1] ^= 1;
        Files.write(index, b);
        try (VaultSetup.Opened o = open(new FaultInjectingBlobStore(vault.store()))) {
            CheckReport r = VaultCheck.run(o.repo(), List.of(TestVault.NS), null);
            assertThat(r.errors()).isNotEmpty();
        }
    }

    @Test
    void namesThatCouldLeaveTheCacheFolderAreRefused() {
        ObjectCache c = ObjectCache.in(root, "0123456789abcdef0123456789abcdef");
        assertThat(c.get(BlobName.of(BlobType.PACK, "ab"))).isNull();
        assertThatThrownBy(() -> ObjectCache.in(root, "../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
