package org.ciphersync.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** "The relay forwards only ciphertext" is a build fact: crypto, core and vault are not even on its class path. */
class DependencyBoundaryTest {

    @Test
    void theRelayClassPath_holdsNeitherCryptoNorCoreNorVault() {
        // surefire launches with a manifest-only jar and publishes the real test class path here
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String[] entries = cp.split(File.pathSeparator);
        assertThat(entries).as("the class path must be the real one").anyMatch(e -> e.contains("relay-protocol"));
        assertThat(Arrays.stream(entries).filter(e -> e.matches(".*ciphersync-(crypto|core|vault).*")
                || e.matches(".*/(crypto|core|vault)/target/.*"))).isEmpty();
    }
}
