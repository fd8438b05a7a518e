package org.ciphersync.relay.server.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.ciphersync.relay.server.hub.Peer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Peer} on a Jetty WebSocket session. Sends are asynchronous; the bytes queued but not yet
 * written are counted, and a connection whose queue exceeds its bound (a reader that does not keep up)
 * is closed with 1008 instead of letting the relay's memory grow.
 */
final class JettyPeer implements Peer {

    private static final Logger log = LoggerFactory.getLogger(JettyPeer.class);

    private final Session session;
    private final String address;
    private final long maxQueued;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();

    JettyPeer(Session session, long maxQueued) {
        this.session = session;
        this.maxQueued = maxQueued;
        SocketAddress remote = session.getRemoteSocketAddress();
        this.address = remote instanceof InetSocketAddress isa && isa.getAddress() != null
                ? isa.getAddress().getHostAddress() : String.valueOf(remote);
    }

    @Override
    public String remoteAddress() {
        return address;
    }

    @Override
    public void send(byte[] frame) {
        if (closing.get() || !session.isOpen()) {
            return;
        }
        long len = frame.length;
        if (queued.addAndGet(len) > maxQueued) {
            queued.addAndGet(-len);
            log.info("closing a connection from {}: it does not read fast enough ({} bytes queued)", address, queued.get());
            close(1008, "too slow: more than " + maxQueued + " bytes waiting to be sent to you");
            return;
        }
        session.sendBinary(ByteBuffer.wrap(frame), Callback.from(() -> queued.addAndGet(-len), t -> queued.addAndGet(-len)));
    }

    @Override
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            session.close(code, reason, Callback.NOOP);
        }
    }
}
