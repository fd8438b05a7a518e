package org.ciphersync.vault.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobStoreRegistry;
import org.ciphersync.vault.store.StoreException;
import org.junit.jupiter.api.Test;

class SftpConfigTest {

    private static final BackendOptions HOME = new BackendOptions(Map.of(), Map.of("HOME", "/home/alice", "USER", "alice"));

    @Test
    void singleSlash_isRelativeToHome_doubleSlashIsAbsolute() throws Exception {
        assertThat(SftpConfig.parse("sftp://alice@nas/backups/vault", HOME).path()).isEqualTo("backups/vault");
        assertThat(SftpConfig.parse("sftp://alice@nas//srv/vault/", HOME).path()).isEqualTo("/srv/vault");
    }

    @Test
    void defaults_comeFromTheEnvironment() throws Exception {
        SftpConfig config = SftpConfig.parse("sftp://nas:2222/v", HOME);
        assertThat(config.user()).isEqualTo("alice");
        assertThat(config.port()).isEqualTo(2222);
        assertThat(config.knownHosts()).isEqualTo(Path.of("/home/alice/.ssh/known_hosts"));
        assertThat(config.useAgent()).isFalse();
        assertThat(config.location()).isEqualTo("sftp://alice@nas:2222/v");
    }

    @Test
    void agentSocket_isUsedWhenPresent() throws Exception {
        SftpConfig config = SftpConfig.parse("sftp://nas/v",
                new BackendOptions(Map.of(), Map.of("HOME", "/h", "SSH_AUTH_SOCK", "/run/agent.sock")));
        assertThat(config.useAgent()).isTrue();
        assertThat(config.agentSocket()).contains(Path.of("/run/agent.sock"));
    }

    @Test
    void wildcardsInThePath_areRefused() {
        StoreException e = assertThrows(StoreException.class, () -> SftpConfig.parse("sftp://nas/v*", HOME));
        assertThat(e.getMessage()).contains("contains * or ?");
    }

    @Test
    void serviceLoader_registersThisBackend() {
        assertThat(BlobStoreRegistry.withInstalledFactories().schemes()).contains("sftp", "file");
    }
}
