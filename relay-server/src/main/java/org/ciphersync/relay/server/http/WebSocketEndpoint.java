package org.ciphersync.relay.server.http;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import org.ciphersync.relay.server.hub.Hub;

/** Binds the {@link Hub} to the relay's WebSocket endpoint {@code /ws}. */
public final class WebSocketEndpoint {

    /** The path clients connect to. */
    public static final String PATH = "/ws";

    private final Hub hub;
    private final long maxQueuedBytes;
    private final ConcurrentHashMap<String, JettyPeer> peers = new ConcurrentHashMap<>();

    public WebSocketEndpoint(Hub hub, long maxQueuedBytes) {
        this.hub = hub;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Installs the handlers. */
    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings(20, TimeUnit.SECONDS);
            JettyPeer p = new JettyPeer(ctx.session, maxQueuedBytes);
            peers.put(ctx.sessionId(), p);
            hub.opened(p);
        });
        ws.onBinaryMessage(ctx -> {
            JettyPeer p = peers.get(ctx.sessionId());
            if (p != null) {
                ByteBuffer data = ctx.data();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                hub.received(p, bytes);
            }
        });
        ws.onMessage(ctx -> {
            JettyPeer p = peers.get(ctx.sessionId());
            if (p != null) {
                hub.receivedText(p);
            }
        });
        ws.onClose(this::gone);
        ws.onError(this::gone);
    }

    private void gone(WsContext ctx) {
        JettyPeer p = peers.remove(ctx.sessionId());
        if (p != null) {
            hub.closed(p);
        }
    }
}
