package org.ciphersync.session.link;

import java.time.Duration;
import java.util.Collection;
import org.ciphersync.relay.protocol.client.Inbound;
import org.ciphersync.relay.protocol.client.RelayException;
import org.ciphersync.relay.protocol.message.MemberProfile;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.session.SessionId;

/**
 * One connection to the relay, as the session client needs it. The production implementation
 * wraps {@link org.ciphersync.relay.protocol.client.RelayClient}; tests decorate it to record what
 * the relay sees or to play a malicious relay (drop, replay, reorder, modify inbound frames).
 *
 * <p>Contract: {@code send*} may be called from any thread; {@link #next} from one reader thread.
 * Everything passed to {@code send} is what the relay receives; everything {@link #next} returns
 * is what the relay delivered, and MUST be treated as hostile.
 */
public interface RelayLink extends AutoCloseable {

    /** Sends a message in the current session. */
    void send(Message message) throws RelayException;

    /** Asks to join {@code session} as a candidate with the first PAKE message. */
    void join(SessionId session, MemberProfile profile, byte[] hello) throws RelayException;

    /** Takes back this member's place after a lost connection. */
    void resume(SessionId session, int memberId, byte[] resumeToken) throws RelayException;

    /** The next inbound frame, or null after {@code wait}. */
    Inbound next(Duration wait) throws RelayException;

    /** Whether the connection is closed (by the relay, the network or us). */
    boolean isClosed();

    /** The current resume token (a secret: memory only). */
    byte[] resumeToken();

    /** Uploads an encrypted part for the listed recipients. */
    void uploadPart(String partId, byte[] data, Collection<Integer> recipients) throws RelayException;

    /** Downloads an encrypted part addressed to this member. */
    byte[] downloadPart(String partId) throws RelayException;

    /** Drops the connection without a close handshake (a network loss). */
    void abort();

    @Override
    void close();
}
