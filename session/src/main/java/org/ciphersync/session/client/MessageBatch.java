package org.ciphersync.session.client;

import java.util.ArrayList;
import java.util.List;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.wire.GroupMessage;
import org.ciphersync.session.wire.GroupMessageCodec;

/**
 * Gathers run messages (MANIFEST pages, NEEDs, PARTS) into {@link GroupMessage.Bundle} frames of at most
 * {@link #LIMIT} bytes, so a tree of many small files costs a few group frames instead of three per file
 * (each frame pays the relay's per-frame rate and a round of sealing). A message is sent when the
 * bundle it would join is full, or on {@link #flush}; a lone message travels as itself. Thread-safe.
 */
final class MessageBatch {
    /** Bytes of bundled messages per frame at most, well within the relay's 1 MiB frame payload. */
    static final int LIMIT = 900 << 10;

    /** Where a finished bundle goes (the group channel). */
    interface Sender {
        void broadcast(GroupMessage m) throws SessionException;
    }

    private final Sender sender;
    private final List<GroupMessage> pending = new ArrayList<>();
    private int bytes;

    MessageBatch(Sender sender) {
        this.sender = sender;
    }

    /** Queues {@code m}, first sending what is queued when {@code m} would not fit with it. */
    synchronized void add(GroupMessage m) throws SessionException {
        int size = GroupMessageCodec.encode(m).length + 4;
        if (!pending.isEmpty() && (bytes + size > LIMIT || pending.size() >= GroupMessage.Bundle.MAX_MESSAGES)) {
            flush();
        }
        pending.add(m);
        bytes += size;
    }

    /** Sends what is queued (nothing when empty). */
    synchronized void flush() throws SessionException {
        if (pending.isEmpty()) {
            return;
        }
        GroupMessage m = pending.size() == 1 ? pending.getFirst() : new GroupMessage.Bundle(pending);
        pending.clear();
        bytes = 0;
        sender.broadcast(m);
    }
}
