package org.ciphersync.session.link;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import org.ciphersync.relay.protocol.client.Inbound;
import org.ciphersync.relay.protocol.client.RelayClient;
import org.ciphersync.relay.protocol.client.RelayException;
import org.ciphersync.relay.protocol.message.MemberProfile;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.session.SessionId;

/** {@link RelayLink} over the relay's WebSocket ({@link RelayClient}). */
public final class WebSocketRelayLink implements RelayLink {
    private final RelayClient client;
    private volatile boolean aborted;

    public WebSocketRelayLink(RelayClient client) {
        this.client = Objects.requireNonNull(client, "client == null");
    }

    @Override
    public void send(Message message) throws RelayException {
        client.send(message);
    }

    @Override
    public void join(SessionId session, MemberProfile profile, byte[] hello) throws RelayException {
        client.join(session, profile, hello);
    }

    @Override
    public void resume(SessionId session, int memberId, byte[] resumeToken) throws RelayException {
        client.resume(session, memberId, resumeToken);
    }

    @Override
    public Inbound next(Duration wait) throws RelayException {
        return client.next(wait);
    }

    @Override
    public boolean isClosed() {
        return aborted || client.closed().isDone();
    }

    @Override
    public byte[] resumeToken() {
        return client.resumeToken();
    }

    @Override
    public void uploadPart(String partId, byte[] data, Collection<Integer> recipients) throws RelayException {
        client.uploadPart(partId, data, recipients);
    }

    @Override
    public byte[] downloadPart(String partId) throws RelayException {
        return client.downloadPart(partId);
    }

    @Override
    public void abort() {
        aborted = true;
        client.abort();
    }

    @Override
    public void close() {
        aborted = true;
        client.close();
    }
}
