package org.ciphersync.vault.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreConformance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WebDAV store meets the whole contract against {@code rclone serve webdav} with Basic authentication. */
class WebDavRcloneServeIT extends BlobStoreConformance {

    static final String PASSWORD = "pw-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path temp;

    private static WebDavServers.Running server;
    private static final AtomicInteger counter = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        server = WebDavServers.rclone(Files.createDirectories(temp.resolve("rclone")), "alice", PASSWORD);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected BlobStore newStore() throws Exception {
        return new WebDavStoreFactory().open("webdav://alice@127.0.0.1:" + server.port() + "/vaults/v" + counter.incrementAndGet(),
                new BackendOptions(Map.of(), Map.of(WebDavConfig.PASSWORD_ENV, PASSWORD)));
    }

    @Override
    protected String secretThatLocationMustHide() {
        return PASSWORD;
    }

    @Test
    void location_showsUserAndPathOnly() {
        assertThat(store.location()).matches("webdav://alice@127\\.0\\.0\\.1:\\d+/vaults/v\\d+/");
    }
}
