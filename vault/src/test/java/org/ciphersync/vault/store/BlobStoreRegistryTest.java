package org.ciphersync.vault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.ciphersync.vault.store.local.LocalBlobStore;
import org.ciphersync.vault.store.local.LocalStoreFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreRegistryTest {

    @Test
    void schemeOf_plainAndWindowsPaths_isFile() {
        assertThat(BlobStoreRegistry.schemeOf("/srv/vault")).isEqualTo("file");
        assertThat(BlobStoreRegistry.schemeOf("vault")).isEqualTo("file");
        assertThat(BlobStoreRegistry.schemeOf("C:\\Users\\me\\vault")).isEqualTo("file");
        assertThat(BlobStoreRegistry.schemeOf("file:///srv/vault")).isEqualTo("file");
    }

    @Test
    void schemeOf_remoteLocations_isTheirScheme() {
        assertThat(BlobStoreRegistry.schemeOf("sftp://alice@nas/vault")).isEqualTo("sftp");
        assertThat(BlobStoreRegistry.schemeOf("S3://bucket/prefix")).isEqualTo("s3");
        assertThat(BlobStoreRegistry.schemeOf("webdavs://host/dav")).isEqualTo("webdavs");
        assertThat(BlobStoreRegistry.schemeOf("rclone:dropbox:vault")).isEqualTo("rclone");
    }

    @Test
    void open_plainPath_usesTheFileFactory(@TempDir Path temp) throws Exception {
        BlobStoreRegistry registry = new BlobStoreRegistry().register(new LocalStoreFactory());
        try (BlobStore store = registry.open(temp.toString(), BackendOptions.none())) {
            assertThat(store).isInstanceOf(LocalBlobStore.class);
        }
    }

    @Test
    void open_unknownScheme_failsNamingTheKnownSchemesWithoutTheSecret() {
        BlobStoreRegistry registry = new BlobStoreRegistry().register(new LocalStoreFactory());
        assertThatThrownBy(() -> registry.open("ftp://bob:hunter2@host/x", BackendOptions.none()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("no storage backend for 'ftp:'")
                .hasMessageContaining("known schemes: file")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void withInstalledFactories_findsTheLocalStoreThroughServiceLoader() {
        assertThat(BlobStoreRegistry.withInstalledFactories().schemes()).contains("file");
    }

    @Test
    void register_sameSchemeTwice_isRefused() {
        BlobStoreRegistry registry = new BlobStoreRegistry().register(new LocalStoreFactory());
        assertThatThrownBy(() -> registry.register(new LocalStoreFactory())).hasMessageContaining("'file' is already registered");
    }

    @Test
    void redactUserInfo_hidesPasswordsAndSecretQueryParameters() {
        assertThat(BlobStoreFactory.redactUserInfo("webdavs://bob:s3cr:et@host/dav")).isEqualTo("webdavs://bob:***@host/dav");
        assertThat(BlobStoreFactory.redactUserInfo("sftp://alice@nas:2222/vault")).isEqualTo("sftp://alice@nas:2222/vault");
        assertThat(BlobStoreFactory.redactUserInfo("s3://bucket/p?endpoint=x&secret_key=abc&region=eu"))
                .isEqualTo("s3://bucket/p?endpoint=x&secret_key=***&region=eu");
        assertThat(BlobStoreFactory.redactUserInfo(null)).isEmpty();
    }

    @Test
    void backendOptions_toString_hidesSecretValues() {
        BackendOptions options = BackendOptions.none().with("s3.secret-access-key", "TOPSECRET").with("s3.region", "eu-west-1");
        assertThat(options.toString()).doesNotContain("TOPSECRET").contains("s3.region=eu-west-1");
    }
}
