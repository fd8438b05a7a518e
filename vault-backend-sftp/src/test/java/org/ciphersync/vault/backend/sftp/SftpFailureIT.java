package org.ciphersync.vault.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.StallingBlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.StoreException;
import org.ciphersync.vault.store.decorator.BlobStores;
import org.ciphersync.vault.store.decorator.RetryPolicy;
import org.ciphersync.vault.store.decorator.StoreOptions;
import org.ciphersync.vault.store.selftest.SelfTestReport;
import org.ciphersync.vault.store.selftest.StoreSelfTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host-key checking, the self-test, and a server that dies in the middle of a save. */
class SftpFailureIT {

    @TempDir
    Path temp;

    private SshdServer server;

    @BeforeEach
    void start() throws Exception {
        server = SshdServer.start(Files.createDirectories(temp.resolve("sshd")));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void unknownHostKey_isRefusedWithTheCommandToAcceptIt() throws Exception {
        Path emptyKnownHosts = Files.writeString(temp.resolve("known_hosts_empty"), "");
        BackendOptions options = server.options().with("sftp.known-hosts", emptyKnownHosts.toString());
        try (BlobStore store = new SftpStoreFactory().open(server.location(temp.resolve("v")), options)) {
            StoreException e = assertThrows(StoreException.class, store::create);
            assertThat(e.isPermanent()).isTrue();
            assertThat(e.getMessage()).contains("is not in " + emptyKnownHosts).contains("ssh -p " + server.port)
                    .contains("ssh-keyscan -p " + server.port + " 127.0.0.1 >> " + emptyKnownHosts);
        }
        assertThat(temp.resolve("v")).doesNotExist();
        assertThat(Files.readString(emptyKnownHosts)).as("never accepted silently").isEmpty();
    }

    @Test
    void changedHostKey_isRefusedAsPossibleAttack() throws Exception {
        Path other = temp.resolve("other_key");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).start().waitFor();
        String[] parts = Files.readString(temp.resolve("other_key.pub")).trim().split(" ");
        Path wrong = Files.writeString(temp.resolve("known_hosts_wrong"), "[127.0.0.1]:" + server.port + " " + parts[0] + " " + parts[1] + "\n");
        try (BlobStore store = new SftpStoreFactory().open(server.location(temp.resolve("v")),
                server.options().with("sftp.known-hosts", wrong.toString()))) {
            StoreException e = assertThrows(StoreException.class, store::create);
            assertThat(e.isPermanent()).isTrue();
            assertThat(e.getMessage()).contains("differs from the one in").contains("ssh-keygen -R");
        }
    }

    @Test
    void wrongKey_isAPermanentErrorExplainingTheAgentAndTheFlag() throws Exception {
        Path stranger = temp.resolve("stranger");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString()).start().waitFor();
        try (BlobStore store = new SftpStoreFactory().open(server.location(temp.resolve("v")),
                server.options().with("sftp.identity", stranger.toString()))) {
            StoreException e = assertThrows(StoreException.class, store::create);
            assertThat(e.isPermanent()).isTrue();
            assertThat(e.getMessage()).contains("refused the keys").contains("ssh-add").contains("sftp.identity");
        }
    }

    @Test
    void selfTest_onSftp_passesEveryCheck() throws Exception {
        try (BlobStore store = new SftpStoreFactory().open(server.location(temp.resolve("v")), server.options())) {
            SelfTestReport report = StoreSelfTest.run(store);
            assertThat(report.problems()).as(report.describe()).isEmpty();
        }
    }

    @Test
    void serverKilledMidSave_saveFailsTransiently_andNoObjectIsVisibleAfterRestart() throws Exception {
        Path folder = temp.resolve("v");
        BlobName name = BlobName.of(BlobType.PACK, "ab".repeat(32));
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        int size = 8 * 1024 * 1024;
        BlobSource stalling = new StallingBlobSource(size, size / 2, halfway, killed);
        try (BlobStore store = new SftpStoreFactory().open(server.location(folder), server.options())) {
            store.create();
            Thread killer = new Thread(() -> {
                try {
                    halfway.await(20, TimeUnit.SECONDS);
                    server.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    killed.countDown();
                }
            });
            killer.start();
            StoreException e = assertThrows(StoreException.class, () -> store.save(name, stalling));
            killer.join();
            assertThat(e.isTransient()).as("a lost connection is transient: %s", e).isTrue();
        }
        server.restart();
        try (BlobStore store = new SftpStoreFactory().open(server.location(folder), server.options())) {
            assertThat(store.exists(name)).isFalse();
            assertThat(store.listAll(BlobType.PACK)).isEmpty();
        }
        try (var files = Files.walk(folder.resolve("data"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .allMatch(f -> f.startsWith("."), "only hidden temporary files may remain");
        }
    }

    @Test
    void decoratedStore_ridesOutAServerRestart_byReconnecting() throws Exception {
        BlobName name = BlobName.of(BlobType.SNAPSHOT, "before-restart");
        BlobStore raw = new SftpStoreFactory().open(server.location(temp.resolve("v")), server.options());
        try (BlobStore store = BlobStores.decorate(raw, StoreOptions.defaults()
                .withRetry(new RetryPolicy(20, Duration.ofMillis(100), Duration.ofMillis(300))))) {
            store.create();
            store.save(name, BlobSource.of(new byte[] {1, 2, 3}));
            server.kill();
            Thread restarter = new Thread(() -> {
                try {
                    Thread.sleep(700);
                    server.restart();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            restarter.start();
            assertThat(store.loadBytes(name)).containsExactly(1, 2, 3);
            restarter.join();
        }
    }

    @Test
    void factory_rejectsPasswordsAndMalformedLocations() {
        SftpStoreFactory factory = new SftpStoreFactory();
        StoreException withPassword = assertThrows(StoreException.class,
                () -> factory.open("sftp://bob:hunter2@host/vault", BackendOptions.none()));
        assertThat(withPassword.getMessage()).doesNotContain("hunter2").contains("SSH agent");
        assertThat(factory.redact("sftp://bob:hunter2@host/vault")).isEqualTo("sftp://bob:***@host/vault");
        StoreException noPath = assertThrows(StoreException.class,
                () -> factory.open("sftp://bob@host", new BackendOptions(Map.of(), Map.of("HOME", "/tmp"))));
        assertThat(noPath.getMessage()).contains("sftp://user@host[:port]/path-in-home");
    }
}
