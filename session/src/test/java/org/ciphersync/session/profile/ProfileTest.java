package org.ciphersync.session.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.ciphersync.session.SessionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {
    @TempDir
    Path tmp;

    @Test
    void loadOrCreate_onFirstUse_createsAPrivateIdentity_andKeepsItAfterwards() throws Exception {
        Path dir = tmp.resolve("profile");
        String first;
        try (Profile p = Profile.loadOrCreate(dir, "laptop", "me@example.org", new SecureRandom())) {
            first = p.fingerprint().text();
            assertThat(p.identityFileIsPrivate()).isTrue();
            assertThat(p.memberProfile().machineName()).isEqualTo("laptop");
        }
        try (Profile again = Profile.loadOrCreate(dir, null, null, new SecureRandom())) {
            assertThat(again.fingerprint().text()).isEqualTo(first);
            assertThat(again.machineName()).isEqualTo("laptop");
            assertThat(again.emailLabel()).isEqualTo("me@example.org");
            assertThat(again.toString()).doesNotContain("PRIVATE");
        }
    }

    @Test
    void loadOrCreate_refusesAnInvalidMachineName_namingTheFix() {
        assertThatThrownBy(() -> Profile.loadOrCreate(tmp.resolve("p"), " ", "", new SecureRandom()))
                .isInstanceOf(SessionException.class).hasMessageContaining("--machine");
    }

    @Test
    void defaultDirectory_followsXdgConfigHome() {
        assertThat(Profile.defaultDirectory(Map.of("XDG_CONFIG_HOME", "/cfg"))).isEqualTo(Path.of("/cfg/ciphersync/profile"));
        assertThat(Profile.defaultDirectory(Map.of()).toString()).endsWith(".config/ciphersync/profile");
    }
}
