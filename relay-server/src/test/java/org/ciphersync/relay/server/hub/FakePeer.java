package org.ciphersync.relay.server.hub;

import java.util.ArrayList;
import java.util.List;
import org.ciphersync.relay.protocol.frame.Frame;
import org.ciphersync.relay.protocol.frame.FrameCodec;
import org.ciphersync.relay.protocol.frame.FrameException;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.message.MessageCodec;

/** A strict in-memory {@link Peer}: it decodes everything the hub sends it (a bad frame fails the test). */
final class FakePeer implements Peer {

    final String address;
    final List<Frame> frames = new ArrayList<>();
    int closeCode;
    String closeReason;

    FakePeer(String address) {
        this.address = address;
    }

    @Override
    public String remoteAddress() {
        return address;
    }

    @Override
    public synchronized void send(byte[] frame) {
        try {
            Frame f = FrameCodec.decode(frame);
            MessageCodec.fromFrame(f);
            frames.add(f);
        } catch (FrameException e) {
            throw new AssertionError("the hub sent a malformed frame: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    synchronized List<Message> messages() {
        List<Message> out = new ArrayList<>();
        for (Frame f : frames) {
            try {
                out.add(MessageCodec.fromFrame(f));
            } catch (FrameException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    synchronized <T extends Message> T last(Class<T> type) {
        List<Message> all = messages();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (type.isInstance(all.get(i))) {
                return type.cast(all.get(i));
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " among " + all);
    }

    synchronized <T extends Message> List<T> all(Class<T> type) {
        return messages().stream().filter(type::isInstance).map(type::cast).toList();
    }

    synchronized void clear() {
        frames.clear();
    }
}
