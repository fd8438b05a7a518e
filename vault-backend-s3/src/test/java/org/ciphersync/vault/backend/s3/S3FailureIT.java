package org.ciphersync.vault.backend.s3;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials, the self-test, and an S3 server that dies in the middle of a multipart upload. */
class S3FailureIT {

    @TempDir
    static Path temp;

    private static S3ProxyServer server;

    @BeforeAll
    static void start() throws Exception {
        server = S3ProxyServer.start(Files.createDirectories(temp.resolve("s3proxy")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void wrongSecret_isPermanentAndPointsAtTheCredentials() throws Exception {
        BackendOptions wrong = new BackendOptions(Map.of("s3.endpoint", "http://127.0.0.1:" + server.port),
                Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY, "AWS_SECRET_ACCESS_KEY", "not-the-secret"));
        try (BlobStore store = new S3StoreFactory().open("s3://creds/v", wrong)) {
            StoreException e = assertThrows(StoreException.class, store::create);
            assertThat(e.isPermanent()).isTrue();
            assertThat(e.getMessage()).contains("HTTP 403").contains("check the credentials (static keys (id test-identity))")
                    .doesNotContain("not-the-secret");
        }
    }

    @Test
    void selfTest_onS3_passesEveryCheck() throws Exception {
        try (BlobStore store = new S3StoreFactory().open("s3://selftest/v", server.options())) {
            SelfTestReport report = StoreSelfTest.run(store);
            assertThat(report.problems()).as(report.describe()).isEmpty();
        }
    }

    @Test
    void serverKilledMidMultipartUpload_saveFailsTransiently_andNoObjectIsVisibleAfterRestart() throws Exception {
        BlobName name = BlobName.of(BlobType.PACK, "ef".repeat(32));
        CountDownLatch secondPart = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        int size = 12 * 1024 * 1024; // three parts of at most 5 MiB
        BlobSource stalling = new StallingBlobSource(size, 6 * 1024 * 1024, secondPart, killed);
        try (BlobStore store = new S3StoreFactory().open("s3://killed/v", server.options())) {
            store.create();
            Thread killer = new Thread(() -> {
                try {
                    secondPart.await(20, TimeUnit.SECONDS);
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
            assertThat(e.isTransient()).as("a lost server is transient: %s", e).isTrue();
        }
        server.restart();
        try (BlobStore store = new S3StoreFactory().open("s3://killed/v", server.options())) {
            assertThat(store.exists(name)).isFalse();
            assertThat(store.listAll(BlobType.PACK)).isEmpty();
        }
    }
}
