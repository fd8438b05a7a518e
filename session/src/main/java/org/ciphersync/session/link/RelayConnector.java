package org.ciphersync.session.link;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.ciphersync.relay.protocol.client.RelayException;

/** Opens connections to one relay; the session client calls it again to resume after a loss. */
@FunctionalInterface
public interface RelayConnector {

    RelayLink connect() throws RelayException;

    /** Connections to the relay WebSocket at {@code wsUri} (e.g. {@code ws://host:7469/ws}). */
    static RelayConnector webSocket(URI wsUri, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        return () -> new WebSocketRelayLink(org.ciphersync.relay.protocol.client.RelayClient.connect(wsUri, timeout, http));
    }

    /** Accepts {@code host:port}, {@code ws://host:port}, {@code http://host:port} (path {@code /ws} added when missing). */
    static URI parseRelayUri(String text) {
        String t = text.strip();
        if (!t.contains("://")) {
            t = "ws://" + t;
        }
        if (t.startsWith("http://")) {
            t = "ws://" + t.substring(7);
        } else if (t.startsWith("https://")) {
            t = "wss://" + t.substring(8);
        }
        URI u = URI.create(t);
        if (!"ws".equals(u.getScheme()) && !"wss".equals(u.getScheme())) {
            throw new IllegalArgumentException("relay URL " + text + " must be ws://, wss://, http:// or host:port");
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("relay URL " + text + " has no host");
        }
        String path = u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/") ? "/ws" : u.getPath();
        int port = u.getPort() > 0 ? u.getPort() : 7469;
        return URI.create(u.getScheme() + "://" + u.getHost() + ":" + port + path);
    }
}
