package org.ciphersync.vault.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.ciphersync.vault.store.selftest.SelfTestReport;
import org.ciphersync.vault.store.selftest.StoreSelfTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials, the self-test's report, and a WebDAV server that dies in the middle of a save. */
class WebDavFailureIT {

    @TempDir
    Path temp;

    private WebDavServers.Running server;

    @BeforeEach
    void start() throws Exception {
        server = WebDavServers.rclone(Files.createDirectories(temp.resolve("rclone")), "alice", "right");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private BlobStore open(String password) throws StoreException {
        return new WebDavStoreFactory().open("webdav://alice@127.0.0.1:" + server.port() + "/v",
                new BackendOptions(Map.of("webdav.password", password), Map.of()));
    }

    @Test
    void wrongPassword_isPermanentAndSaysWhereThePasswordComesFrom() throws Exception {
        try (BlobStore store = open("wrong")) {
            StoreException e = assertThrows(StoreException.class, store::create);
            assertThat(e.isPermanent()).isTrue();
            assertThat(e.getMessage()).contains("HTTP 401").contains("refused the credentials of alice")
                    .contains(WebDavConfig.PASSWORD_ENV).doesNotContain("wrong");
        }
    }

    @Test
    void wrongPassword_onAnUploadAndADownload_isTheSamePermanentRefusal() throws Exception {
        try (BlobStore right = open("right")) {
            right.create();
            right.save(BlobName.of(BlobType.KEY, "k"), BlobSource.of(new byte[100]));
        }
        try (BlobStore store = open("wrong")) {
            StoreException up = assertThrows(StoreException.class,
                    () -> store.save(BlobName.of(BlobType.KEY, "k2"), BlobSource.of(new byte[100_000])));
            StoreException down = assertThrows(StoreException.class,
                    () -> store.load(BlobName.of(BlobType.KEY, "k"), org.ciphersync.vault.store.ByteRange.all(), in -> in.readAllBytes()));
            for (StoreException e : new StoreException[] {up, down}) {
                assertThat(e.isPermanent()).as(e.getMessage()).isTrue();
                assertThat(e.getMessage()).contains("HTTP 401").contains("refused the credentials of alice").doesNotContain("wrong");
            }
        }
    }

    @Test
    void selfTest_reportsTheNonAtomicReplaceAsTheOnlyWarning() throws Exception {
        try (BlobStore store = open("right")) {
            SelfTestReport report = StoreSelfTest.run(store);
            assertThat(report.passed()).as(report.describe()).isTrue();
            assertThat(report.problems()).singleElement().satisfies(c ->
                    assertThat(c.message()).contains("replacing an object is not atomic"));
        }
    }

    @Test
    void serverUnreachable_isTransient() throws Exception {
        server.process().kill();
        try (BlobStore store = open("right")) {
            StoreException e = assertThrows(StoreException.class, () -> store.stat(BlobName.of(BlobType.KEY, "k")));
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("ConnectException");
        }
    }

    @Test
    void serverKilledMidSave_saveFailsTransiently_andNoObjectIsVisibleAfterRestart() throws Exception {
        BlobName name = BlobName.of(BlobType.PACK, "cd".repeat(32));
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        int size = 8 * 1024 * 1024;
        BlobSource stalling = new StallingBlobSource(size, size / 2, halfway, killed);
        try (BlobStore store = open("right")) {
            store.create();
            Thread killer = new Thread(() -> {
                try {
                    halfway.await(20, TimeUnit.SECONDS);
                    server.process().kill();
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
        server.process().restart(server.port());
        try (BlobStore store = open("right")) {
            assertThat(store.exists(name)).isFalse();
            assertThat(store.listAll(BlobType.PACK)).isEmpty();
        }
    }
}
