package org.ciphersync.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelayConfigTest {

    @Test
    void defaults_listenOnAllInterfacesOnTheDocumentedPort() {
        RelayConfig c = RelayConfig.defaults(Path.of("relay-data"));
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(7469).isEqualTo(RelayConfig.DEFAULT_PORT);
        assertThat(c.joinFailuresBeforeLockout()).isEqualTo(5);
        assertThat(c.gracePeriod()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void partMemory_defaultsTo128MiB_andNeverTakesMoreThanAQuarterOfTheHeap() {
        assertThat(RelayConfig.defaults(Path.of("d")).partMemoryBytes()).isEqualTo(128L << 20);
        assertThat(RelayServer.partMemory(128L << 20, 4L << 30)).isEqualTo(128L << 20);
        assertThat(RelayServer.partMemory(128L << 20, 256L << 20)).as("a relay with a 256 MiB heap").isEqualTo(64L << 20);
        assertThat(RelayServer.partMemory(0, 4L << 30)).as("0 keeps every part on disk").isZero();
        assertThatThrownBy(() -> RelayConfig.builder(Path.of("d")).partMemoryBytes(-1).build()).hasMessageContaining("partMemoryBytes");
    }

    @Test
    void invalidValues_areRefusedWithTheirName() {
        assertThatThrownBy(() -> RelayConfig.builder(Path.of("d")).port(70000).build()).hasMessageContaining("port 70000");
        assertThatThrownBy(() -> RelayConfig.builder(Path.of("d")).gracePeriod(Duration.ZERO).build()).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RelayConfig.builder(Path.of("d")).sessionQuotaBytes(0).build()).hasMessageContaining("sessionQuotaBytes");
        assertThatThrownBy(() -> RelayConfig.builder(Path.of("d")).maxFrameBytes(10).build()).hasMessageContaining("maxFrameBytes 10");
    }

    @Test
    void startingTwice_isRefused_andStopIsIdempotent(@org.junit.jupiter.api.io.TempDir Path dir) {
        RelayServer s = new RelayServer(RelayConfig.builder(dir).bindAddress("127.0.0.1").port(0).build()).start();
        try {
            assertThat(s.port()).isPositive();
            assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        } finally {
            s.stop();
            s.stop();
        }
        assertThatThrownBy(s::port).hasMessageContaining("not started");
    }
}
