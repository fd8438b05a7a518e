package org.ciphersync.vault.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreConformance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 store meets the whole contract against s3proxy. Parts of 5 MiB make the 20 MiB object a
 * multipart upload, and pages of 100 keys make the 300-object listing span several pages.
 */
class S3BlobStoreIT extends BlobStoreConformance {

    @TempDir
    static Path temp;

    private static S3ProxyServer server;
    private static final AtomicInteger counter = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start(Files.createDirectories(temp.resolve("s3proxy")));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected BlobStore newStore() throws Exception {
        return new S3StoreFactory().open("s3://vaults/v" + counter.incrementAndGet() + "/nested", server.options());
    }

    @Override
    protected String secretThatLocationMustHide() {
        return S3ProxyServer.CREDENTIAL;
    }

    @Test
    void location_namesBucketPrefixAndEndpoint() {
        assertThat(store.location()).matches("s3://vaults/v\\d+/nested at http://127\\.0\\.0\\.1:\\d+");
    }
}
