package org.ciphersync.session.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RelayConnectorTest {
    @Test
    void parseRelayUri_acceptsTheUsualSpellings() {
        assertThat(RelayConnector.parseRelayUri("relay.example.org")).isEqualTo(URI.create("ws://relay.example.org:7469/ws"));
        assertThat(RelayConnector.parseRelayUri("127.0.0.1:9000")).isEqualTo(URI.create("ws://127.0.0.1:9000/ws"));
        assertThat(RelayConnector.parseRelayUri("http://h:1/")).isEqualTo(URI.create("ws://h:1/ws"));
        assertThat(RelayConnector.parseRelayUri("https://h")).isEqualTo(URI.create("wss://h:7469/ws"));
        assertThat(RelayConnector.parseRelayUri("ws://h:2/ws")).isEqualTo(URI.create("ws://h:2/ws"));
    }

    @Test
    void parseRelayUri_refusesOtherSchemes() {
        assertThatThrownBy(() -> RelayConnector.parseRelayUri("ftp://h")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftp://h");
    }
}
