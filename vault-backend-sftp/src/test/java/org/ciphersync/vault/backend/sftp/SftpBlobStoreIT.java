package org.ciphersync.vault.backend.sftp;

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

/** The SFTP store meets the whole contract against OpenSSH's sshd on 127.0.0.1. */
class SftpBlobStoreIT extends BlobStoreConformance {

    @TempDir
    static Path temp;

    private static SshdServer server;
    private static final AtomicInteger counter = new AtomicInteger();
    private Path folder;

    @BeforeAll
    static void startServer() throws Exception {
        server = SshdServer.start(Files.createDirectories(temp.resolve("sshd")));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected BlobStore newStore() throws Exception {
        folder = temp.resolve("vault-" + counter.incrementAndGet());
        return new SftpStoreFactory().open(server.location(folder), server.options());
    }

    @Test
    void location_isTheSftpUrlWithoutPassword() {
        assertThat(store.location()).startsWith("sftp://" + server.user + "@127.0.0.1:" + server.port + "/")
                .endsWith(folder.toString());
    }

    @Test
    void savedPack_isAFileInTheFanOutFolderOnTheServer() throws Exception {
        var name = pack(77);
        store.save(name, org.ciphersync.vault.store.BlobSource.of(bytes(123, 1)));
        assertThat(folder.resolve(name.path())).hasBinaryContent(bytes(123, 1));
        try (var files = Files.list(folder.resolve(name.folder()))) {
            assertThat(files).hasSize(1);
        }
    }
}
