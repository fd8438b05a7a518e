package org.ciphersync.vault.backend.webdav;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreConformance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The WebDAV store meets the whole contract against Apache httpd with mod_dav. */
class WebDavApacheIT extends BlobStoreConformance {

    @TempDir
    static Path temp;

    private static WebDavServers.Running server;
    private static final AtomicInteger counter = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        server = WebDavServers.apache(Files.createDirectories(temp.resolve("apache")));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected BlobStore newStore() throws Exception {
        return new WebDavStoreFactory().open("webdav://127.0.0.1:" + server.port() + "/nested/v" + counter.incrementAndGet(),
                BackendOptions.none());
    }
}
