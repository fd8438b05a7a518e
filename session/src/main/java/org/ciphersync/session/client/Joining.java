package org.ciphersync.session.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ciphersync.crypto.AuthenticationFailedException;
import org.ciphersync.crypto.PakeFailedException;
import org.ciphersync.crypto.channel.SecureChannel;
import org.ciphersync.crypto.identity.Identity;
import org.ciphersync.crypto.pake.PakeResult;
import org.ciphersync.crypto.pake.PakeSession;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.relay.protocol.client.Inbound;
import org.ciphersync.relay.protocol.client.RelayException;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.JoinRefusedException;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.channel.JoinBundle;
import org.ciphersync.session.link.RelayLink;
import org.ciphersync.session.wire.WireException;

/**
 * Getting into a session (S3) from the joiner's side: connecting to the relay, the PAKE with the
 * sponsoring member through the relay, the sponsor's sealed join bundle, and waiting for the relay's
 * answers (its refusals become {@link JoinRefusedException}s the person can act on). Also used to wait
 * for the relay's WELCOME when creating or resuming.
 */
final class Joining {
    /** Label of the PAKE-keyed join channel. */
    static final String JOIN_CHANNEL = "ciphersync/v1/session/join";
    static final Duration POLL = Duration.ofMillis(50);

    /**
     * A successful join: the open connection, the member id the relay and the sponsor agree on, the
     * sponsor's bundle (group key, authenticated roster, settings; close it) and frames that came early.
     */
    record Admission(RelayLink link, int memberId, JoinBundle bundle, List<Inbound> early) {
    }

    private Joining() {
    }

    /**
     * The joiner's side of the PAKE with the sponsor the relay chose, up to the relay's WELCOME. The
     * connection stays open and the bundle holds the group key: the caller takes both over.
     */
    static Admission join(SessionOptions options, SessionId sessionId, Password password) throws SessionException {
        Objects.requireNonNull(sessionId, "sessionId == null");
        Objects.requireNonNull(password, "password == null");
        Identity me = options.profile().identity();
        RelayLink link = connect(options);
        try {
            PakeSession pake = PakeSession.joiner(sessionId.toString(), password, me, options.random());
            link.join(sessionId, options.profile().memberProfile(), pake.round1());
            List<Inbound> early = new ArrayList<>();
            Inbound first = awaitCandidateMessage(link, options.timeout(), early);
            byte[] m1 = first.frame().payload();
            if (m1.length != PakeSession.ROUND1_LENGTH + PakeSession.ROUND2_LENGTH) {
                throw new SessionException("the sponsoring member sent a malformed join message (" + m1.length + " bytes); try again");
            }
            pake.receiveRound1(java.util.Arrays.copyOf(m1, PakeSession.ROUND1_LENGTH));
            byte[] r2 = pake.round2();
            pake.receiveRound2(java.util.Arrays.copyOfRange(m1, PakeSession.ROUND1_LENGTH, m1.length));
            byte[] r3 = pake.confirmation();
            link.send(new Message.CandidateMessage(List.of(), concat(r2, r3)));
            Inbound second = awaitCandidateMessage(link, options.timeout(), early);
            byte[] m2 = second.frame().payload();
            if (m2.length < PakeSession.ROUND3_LENGTH + SecureChannel.OVERHEAD) {
                throw new SessionException("the sponsoring member sent a malformed join message (" + m2.length + " bytes); try again");
            }
            JoinBundle bundle;
            try (PakeResult result = pake.receiveConfirmation(java.util.Arrays.copyOf(m2, PakeSession.ROUND3_LENGTH))) {
                SecureChannel jc = new SecureChannel(result.sendKey(), result.receiveKey(), JOIN_CHANNEL);
                bundle = JoinBundle.decode(jc.open(java.util.Arrays.copyOfRange(m2, PakeSession.ROUND3_LENGTH, m2.length)));
                if (!bundle.roster().containsValue(result.peer())) {
                    bundle.close();
                    throw new SessionException("the sponsoring member's identity is missing from the roster it sent: "
                            + "the exchange was tampered with; try again");
                }
            }
            Inbound w = awaitWelcome(link, options.timeout(), early, "joining");
            Message.Welcome welcome = (Message.Welcome) w.message();
            if (welcome.memberId() != bundle.memberId()) {
                bundle.close();
                throw new SessionException("the relay admitted this client as member " + welcome.memberId()
                        + " but the sponsor admitted member " + bundle.memberId() + "; try again");
            }
            return new Admission(link, welcome.memberId(), bundle, early);
        } catch (PakeFailedException e) {
            link.close();
            throw new JoinRefusedException("joining failed: " + e.getMessage(), Duration.ZERO);
        } catch (AuthenticationFailedException | WireException e) {
            link.close();
            throw new SessionException("the sponsoring member's welcome did not verify (" + e.getMessage() + "); try again", e);
        } catch (RelayException e) {
            link.close();
            throw new SessionException("lost the relay while joining: " + e.getMessage(), e);
        } catch (SessionException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    static RelayLink connect(SessionOptions options) throws SessionException {
        try {
            return options.connector().connect();
        } catch (RelayException e) {
            throw new SessionException(e.getMessage(), e);
        }
    }

    static Inbound awaitWelcome(RelayLink link, Duration timeout, List<Inbound> early, String doing) throws SessionException {
        return await(link, timeout, early, Message.Welcome.class, doing);
    }

    static Inbound awaitCandidateMessage(RelayLink link, Duration timeout, List<Inbound> early) throws SessionException {
        return await(link, timeout, early, Message.CandidateMessage.class, "joining");
    }

    /** Waits for one message type while joining, turning refusals into exceptions and keeping other frames for later. */
    static Inbound await(RelayLink link, Duration timeout, List<Inbound> early, Class<? extends Message> type, String doing)
            throws SessionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Inbound in = link.next(POLL);
                if (in == null) {
                    if (link.isClosed()) {
                        throw new SessionException("the relay closed the connection while " + doing + "; try again");
                    }
                    continue;
                }
                Message m = in.message();
                if (type.isInstance(m)) {
                    return in;
                }
                switch (m) {
                    case Message.JoinRejected r -> throw new JoinRefusedException(r.reason(), Duration.ofMillis(r.retryAfterMillis()));
                    case Message.Error err -> throw refusal(err, doing);
                    default -> early.add(in);
                }
            }
        } catch (RelayException e) {
            throw new SessionException("lost the relay while " + doing + ": " + e.getMessage(), e);
        }
        throw new SessionException("no answer within " + timeout.toSeconds() + " s while " + doing
                + " (is a member of the session online?); try again");
    }

    static SessionException refusal(Message.Error err, String doing) {
        Duration retry = Duration.ofMillis(err.retryAfterMillis());
        return switch (err.code()) {
            case UNKNOWN_SESSION -> new JoinRefusedException("no such session on this relay: check the session ID (" + err.message() + ")", retry);
            case SESSION_FULL -> new JoinRefusedException("the session is full (5 members): " + err.message(), retry);
            case LOCKED_OUT, BUSY, NO_MEMBER_ONLINE, SPONSOR_GONE, RATE_LIMITED ->
                    new JoinRefusedException(err.message(), retry);
            default -> new SessionException("the relay refused " + doing + ": " + err.message() + " (" + err.code() + ")");
        };
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
