package org.ciphersync.session.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.ciphersync.relay.protocol.client.Inbound;
import org.ciphersync.relay.protocol.client.RelayException;
import org.ciphersync.relay.protocol.frame.FrameCodec;
import org.ciphersync.relay.protocol.message.MemberProfile;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.message.MessageCodec;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.link.RelayLink;

/**
 * A decorator between a session client and the real relay that plays the relay's part in tests:
 * every frame a client hands the relay is encoded exactly as on the wire and recorded in the
 * {@link WireTap}, and every frame the relay delivers passes through a replaceable filter that may
 * drop, duplicate, hold back or modify it (a malicious relay).
 */
final class TappedLink implements RelayLink {
    private final RelayLink delegate;
    private final WireTap tap;
    private final Deque<Inbound> ready = new ArrayDeque<>();
    volatile Function<Inbound, List<Inbound>> inbound = List::of;
    /** What the relay serves for a part download (a malicious relay may modify or swap it). */
    volatile java.util.function.BiFunction<String, byte[], byte[]> download = (id, data) -> data;
    /** Whether a part download breaks off before it reaches the client (a network hiccup). */
    volatile java.util.function.Predicate<String> breakDownload = id -> false;
    /** Runs before each part upload (a test may stall or stop the member there). */
    volatile java.util.function.Consumer<String> beforeUpload = id -> { };

    TappedLink(RelayLink delegate, WireTap tap) {
        this.delegate = delegate;
        this.tap = tap;
    }

    private void record(Message m) {
        tap.record(FrameCodec.encode(MessageCodec.toFrame(m, 1, 1, 1)));
    }

    @Override
    public void send(Message message) throws RelayException {
        record(message);
        delegate.send(message);
    }

    @Override
    public void join(SessionId session, MemberProfile profile, byte[] hello) throws RelayException {
        record(new Message.JoinRequest(profile, hello));
        delegate.join(session, profile, hello);
    }

    @Override
    public void resume(SessionId session, int memberId, byte[] resumeToken) throws RelayException {
        delegate.resume(session, memberId, resumeToken);
    }

    @Override
    public Inbound next(Duration wait) throws RelayException {
        synchronized (ready) {
            if (!ready.isEmpty()) {
                return ready.poll();
            }
        }
        Inbound in = delegate.next(wait);
        if (in == null) {
            return null;
        }
        tap.record(FrameCodec.encode(in.frame()));
        List<Inbound> out = inbound.apply(in);
        synchronized (ready) {
            ready.addAll(out);
            return ready.poll();
        }
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public byte[] resumeToken() {
        return delegate.resumeToken();
    }

    @Override
    public void uploadPart(String partId, byte[] data, Collection<Integer> recipients) throws RelayException {
        beforeUpload.accept(partId);
        tap.upload(partId, data, recipients);
        delegate.uploadPart(partId, data, recipients);
    }

    @Override
    public byte[] downloadPart(String partId) throws RelayException {
        if (breakDownload.test(partId)) {
            throw new RelayException("download of part " + partId + " broke off (test)", 0, null);
        }
        return download.apply(partId, delegate.downloadPart(partId));
    }

    @Override
    public void abort() {
        delegate.abort();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
