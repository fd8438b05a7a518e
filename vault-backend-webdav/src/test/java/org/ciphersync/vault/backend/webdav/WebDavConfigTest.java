package org.ciphersync.vault.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.StoreException;
import org.junit.jupiter.api.Test;

class WebDavConfigTest {

    @Test
    void webdavs_mapsToHttpsAndTakesThePasswordFromTheEnvironment() throws Exception {
        WebDavConfig config = WebDavConfig.parse("webdavs://bob@cloud.example:8443/remote.php/dav/vault",
                new BackendOptions(Map.of(), Map.of(WebDavConfig.PASSWORD_ENV, "pw")));
        assertThat(config.baseUri().toString()).isEqualTo("https://cloud.example:8443/remote.php/dav/vault/");
        assertThat(config.user()).isEqualTo("bob");
        assertThat(config.password()).isEqualTo("pw");
        assertThat(config.displayLocation()).isEqualTo("webdavs://bob@cloud.example:8443/remote.php/dav/vault/");
        assertThat(config.toString()).doesNotContain("pw]").contains("password ***");
    }

    @Test
    void passwordInTheLocation_isUsedButNeverShown() throws Exception {
        WebDavConfig config = WebDavConfig.parse("webdav://bob:hunter2@host/v", BackendOptions.none());
        assertThat(config.password()).isEqualTo("hunter2");
        assertThat(config.displayLocation()).doesNotContain("hunter2");
        assertThat(new WebDavStoreFactory().redact("webdav://bob:hunter2@host/v")).isEqualTo("webdav://bob:***@host/v");
    }

    @Test
    void malformedLocations_explainTheExpectedFormWithoutSecrets() {
        StoreException e = assertThrows(StoreException.class,
                () -> WebDavConfig.parse("webdav://bob:hunter2@/nohost", BackendOptions.none()));
        assertThat(e.getMessage()).contains("webdav://[user@]host[:port]/path").doesNotContain("hunter2");
        assertThrows(StoreException.class, () -> WebDavConfig.parse("webdav://host/a/../b", BackendOptions.none()));
    }

    @Test
    void serviceLoader_registersThisBackend() {
        assertThat(org.ciphersync.vault.store.BlobStoreRegistry.withInstalledFactories().schemes()).contains("webdav", "webdavs", "file");
    }
}
