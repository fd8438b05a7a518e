package org.ciphersync.relay.server.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ciphersync.relay.protocol.frame.Frame;
import org.ciphersync.relay.protocol.frame.FrameCodec;
import org.ciphersync.relay.protocol.frame.FrameException;
import org.ciphersync.relay.protocol.message.ErrorCode;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.message.MessageCodec;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.relay.server.RelayConfig;
import org.ciphersync.relay.server.limit.JoinLimiter;
import org.ciphersync.relay.protocol.limit.RateLimiter;
import org.ciphersync.relay.server.metrics.RelayMetrics;
import org.ciphersync.relay.server.part.PartStore;
import org.ciphersync.relay.server.session.MemberRecord;
import org.ciphersync.relay.server.session.SessionState;
import org.ciphersync.relay.server.session.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's routing core, independent of the WebSocket library: it takes frames from {@link Peer}s,
 * applies the session rules and forwards envelopes. See the package documentation for the flows.
 *
 * <p>Concurrency: each session's {@link SessionRuntime} monitor serialises everything that touches that
 * session (its state in the {@link SessionStore}, its connections, its candidates), so sessions never
 * block each other. Sends are queued by the {@link Peer}, never awaited under a lock.
 *
 * <p>Logging: session ids, member/candidate ids, frame types and sizes, addresses of failed joins. Never a
 * payload byte, token, profile key or status text.
 */
public final class Hub {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    /** Offset of the sender field in an encoded frame; the relay stamps the authenticated sender there. */
    private static final int SENDER_OFFSET = 18;
    private static final int TOKEN_BYTES = 32;

    /** What a transfer token entitles to: HTTP part access as {@code memberId} of {@code session}. */
    public record TransferGrant(SessionId session, int memberId) {
    }

    private final RelayConfig config;
    private final SessionStore store;
    private final PartStore parts;
    private final InstantSource clock;
    private final JoinLimiter limiter;
    private final RelayMetrics metrics;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<SessionId, SessionRuntime> runtimes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Peer, Connection> connections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TransferGrant> grants = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

    public Hub(RelayConfig config, SessionStore store, PartStore parts, InstantSource clock) {
        this.config = config;
        this.store = store;
        this.parts = parts;
        this.clock = clock;
        this.limiter = new JoinLimiter(config.joinFailuresBeforeLockout(), config.lockoutBase(), config.lockoutMax(), clock);
        this.metrics = new RelayMetrics(store::size, connections::size, parts::totalBytes, parts::partCount);
    }

    public RelayMetrics metrics() {
        return metrics;
    }

    /** The session's state, if it exists. */
    public Optional<SessionState> session(SessionId id) {
        return store.get(id);
    }

    /** The grant of a transfer token, if the token is live. */
    public Optional<TransferGrant> grant(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(grants.get(token));
    }

    // ------------------------------------------------------------------ connection events

    /** A connection opened. */
    public void opened(Peer peer) {
        Connection c = new Connection(peer, new RateLimiter(config.framesPerSecond(), config.frameBurst(), System.nanoTime()), clock.instant());
        int n = perAddress.merge(c.address, 1, Integer::sum);
        connections.put(peer, c);
        if (n > config.maxConnectionsPerAddress()) {
            log.info("refusing a connection from {}: {} connections open from that address", c.address, n - 1);
            close(c, 1008, "too many connections from your address (limit " + config.maxConnectionsPerAddress() + ")");
        }
    }

    /** A text message arrived: not part of the protocol, closes the connection. */
    public void receivedText(Peer peer) {
        Connection c = connections.get(peer);
        if (c != null) {
            metrics.malformedFrames.increment();
            close(c, 1003, "text messages are not part of the relay protocol; send binary frames");
        }
    }

    /** One binary WebSocket message arrived; {@code bytes} is owned by the hub from now on. */
    public void received(Peer peer, byte[] bytes) {
        Connection c = connections.get(peer);
        if (c == null || c.closed) {
            return;
        }
        metrics.framesReceived.increment();
        metrics.bytesReceived.add(bytes.length);
        long now = System.nanoTime();
        if (!c.rate.tryAcquire(now)) {
            metrics.rateLimited.increment();
            if (++c.violations > config.maxRateViolations()) {
                close(c, 1008, "rate limit exceeded: more than " + config.framesPerSecond() + " frames per second");
            } else {
                error(c, ErrorCode.RATE_LIMITED, "too many frames per second on this connection; frame dropped, slow down",
                        c.rate.millisUntilToken(now));
            }
            return;
        }
        Frame f;
        Message m;
        try {
            f = FrameCodec.decode(bytes);
            if (!f.type().clientMaySend()) {
                throw new FrameException(f.type() + " frames are sent by the relay only");
            }
            m = MessageCodec.fromFrame(f);
        } catch (FrameException e) {
            metrics.malformedFrames.increment();
            log.info("closing a connection from {}: malformed frame: {}", c.address, e.getMessage());
            close(c, 1002, "malformed frame: " + e.getMessage());
            return;
        }
        if (f.sequence() <= c.lastSequence) {
            error(c, ErrorCode.BAD_SEQUENCE, "sequence " + f.sequence() + " does not increase (last was " + c.lastSequence + "); frame dropped", 0);
            return;
        }
        c.lastSequence = f.sequence();
        if (f.sender() != 0 && f.sender() != c.id) {
            error(c, ErrorCode.BAD_REQUEST, "sender field " + f.sender() + " is not this connection's id " + c.id, 0);
            return;
        }
        try {
            dispatch(c, f, m, bytes);
        } catch (RuntimeException e) {
            log.error("internal error while handling a {} frame", f.type(), e);
            error(c, ErrorCode.INTERNAL, "internal relay error; please retry", 0);
        }
    }

    /** The connection closed (either side) or broke. */
    public void closed(Peer peer) {
        Connection c = connections.remove(peer);
        if (c == null) {
            return;
        }
        c.closed = true;
        perAddress.computeIfPresent(c.address, (k, n) -> n <= 1 ? null : n - 1);
        SessionRuntime rt = c.runtime;
        if (rt == null) {
            return;
        }
        synchronized (rt) {
            if (c.runtime != rt || rt.ended) {
                return;
            }
            Instant now = clock.instant();
            if (c.role == Connection.Role.CANDIDATE) {
                SessionRuntime.Candidate cand = rt.candidates.remove(c.id);
                if (cand != null) {
                    // Abandoning a PAKE after seeing the sponsor's confirmation must cost a try, or guessing would be free.
                    recordJoinFailure(rt.id, c.address);
                    Connection sponsor = rt.online.get(cand.sponsorId());
                    if (sponsor != null) {
                        send(sponsor, rt.id, new Message.MemberLeft(cand.id(), Message.MemberLeft.LeaveReason.CONNECTION_LOST));
                    }
                    log.info("session {}: candidate {} from {} disconnected before admission (counted as a failed join)", rt.id, c.id, c.address);
                }
            } else if (c.role == Connection.Role.MEMBER && rt.online.get(c.id) == c) {
                revoke(c);
                rt.online.remove(c.id);
                rt.offline.put(c.id, new SessionRuntime.OfflineBuffer());
                int memberId = c.id;
                Optional<SessionState> st = store.update(rt.id, s -> s.offline(memberId, now));
                dropCandidatesOf(rt, memberId);
                log.info("session {}: member {} lost its connection; place kept for {}", rt.id, memberId, config.gracePeriod());
                st.ifPresent(s -> broadcastList(rt, s));
            }
            c.reset(clock.instant());
        }
    }

    // ------------------------------------------------------------------ dispatch

    private void dispatch(Connection c, Frame f, Message m, byte[] bytes) {
        switch (m) {
            case Message.CreateSession cs -> create(c, cs);
            case Message.JoinRequest jr -> join(c, new SessionId(f.sessionId()), jr);
            case Message.Resume r -> resume(c, new SessionId(f.sessionId()), r);
            default -> inSession(c, f, m, bytes);
        }
    }

    private void inSession(Connection c, Frame f, Message m, byte[] bytes) {
        SessionRuntime rt = c.runtime;
        if (rt == null) {
            error(c, ErrorCode.NOT_A_MEMBER, "this connection is not in a session: create or join one first", 0);
            return;
        }
        synchronized (rt) {
            if (c.runtime != rt || rt.ended) {
                error(c, ErrorCode.NOT_A_MEMBER, "this connection is no longer in a session: create or join one", 0);
                return;
            }
            if (f.sessionId() != rt.id.value()) {
                error(c, ErrorCode.BAD_REQUEST, "the frame names another session than this connection's " + rt.id, 0);
                return;
            }
            if (c.role == Connection.Role.CANDIDATE) {
                if (m instanceof Message.CandidateMessage cm) {
                    fromCandidate(rt, c, cm, bytes);
                } else {
                    error(c, ErrorCode.NOT_A_MEMBER, "a candidate may only send authentication messages until it is admitted", 0);
                }
                return;
            }
            rt.lastActivity = clock.instant();
            switch (m) {
                case Message.CandidateMessage cm -> toCandidate(rt, c, cm, bytes);
                case Message.Admit a -> admit(rt, c, a.candidateId());
                case Message.Reject r -> reject(rt, c, r.candidateId());
                case Message.Data d -> forward(rt, c, d.recipients(), bytes);
                case Message.LeaderCommand lc -> leaderCommand(rt, c, lc, bytes);
                case Message.SetStatus s -> setStatus(rt, c, s.status());
                case Message.Leave l -> leave(rt, c);
                default -> error(c, ErrorCode.ALREADY_IN_SESSION, "this connection is already in session " + rt.id, 0);
            }
        }
    }

    // ------------------------------------------------------------------ create, join, admit, reject

    private void create(Connection c, Message.CreateSession cs) {
        if (c.role != Connection.Role.NEW) {
            error(c, ErrorCode.ALREADY_IN_SESSION, "this connection is already in a session; leave it first", 0);
            return;
        }
        if (store.size() >= config.maxSessions()) {
            error(c, ErrorCode.BUSY, "the relay is at its limit of " + config.maxSessions() + " sessions; try again later", 0);
            return;
        }
        Instant now = clock.instant();
        byte[] resume = newToken();
        MemberRecord first = new MemberRecord(1, cs.profile(), c.address, "", now, null, sha256(resume));
        SessionState state;
        do {
            state = SessionState.create(SessionId.random(random), now).allocateId().withMember(first);
        } while (!store.create(state));
        SessionRuntime rt = new SessionRuntime(state.id(), now);
        runtimes.put(state.id(), rt);
        synchronized (rt) {
            becomeMember(rt, c, 1, resume, false, false);
            broadcastList(rt, state);
        }
        metrics.sessionsCreated.increment();
        log.info("session {} created by {} ({} sessions open)", state.id(), c.address, store.size());
    }

    private void join(Connection c, SessionId sid, Message.JoinRequest jr) {
        if (c.role != Connection.Role.NEW) {
            error(c, ErrorCode.ALREADY_IN_SESSION, "this connection is already in a session or joining one", 0);
            return;
        }
        Duration wait = max(limiter.retryAfter(ipKey(c.address)), limiter.retryAfter(sessionKey(sid)));
        if (!wait.isZero()) {
            metrics.lockedOutAttempts.increment();
            send(c, null, new Message.JoinRejected("too many failed attempts to join; try again in "
                    + seconds(wait) + " s", wait.toMillis()));
            return;
        }
        SessionRuntime rt = runtimes.get(sid);
        if (rt == null) {
            unknownSession(c, sid);
            return;
        }
        synchronized (rt) {
            Optional<SessionState> maybe = rt.ended ? Optional.empty() : store.get(sid);
            if (maybe.isEmpty()) {
                unknownSession(c, sid);
                return;
            }
            SessionState st = maybe.get();
            if (st.full()) {
                error(c, ErrorCode.SESSION_FULL, "session " + sid + " already has " + SessionState.MAX_MEMBERS + " members", 0);
                return;
            }
            if (rt.candidates.size() >= config.maxPendingCandidates()) {
                error(c, ErrorCode.BUSY, "other machines are joining session " + sid + " right now; try again in a few seconds", 2000);
                return;
            }
            Optional<MemberRecord> sponsor = st.sponsor();
            Connection sponsorConn = sponsor.map(s -> rt.online.get(s.memberId())).orElse(null);
            if (sponsorConn == null) {
                error(c, ErrorCode.NO_MEMBER_ONLINE, "no member of session " + sid + " is online to check your password; try again later", 0);
                return;
            }
            SessionState after = store.update(sid, SessionState::allocateId).orElseThrow();
            int cid = after.nextId() - 1;
            Instant now = clock.instant();
            rt.candidates.put(cid, new SessionRuntime.Candidate(cid, c, sponsor.get().memberId(), now, jr.profile()));
            c.role = Connection.Role.CANDIDATE;
            c.runtime = rt;
            c.id = cid;
            send(sponsorConn, sid, new Message.JoinRequested(cid, jr.profile(), c.address, jr.hello()));
            log.debug("session {}: candidate {} from {} routed to member {}", sid, cid, c.address, sponsor.get().memberId());
        }
    }

    private void unknownSession(Connection c, SessionId sid) {
        // Probing for session ids costs the address a try, like a wrong password.
        Duration lock = limiter.recordFailure(ipKey(c.address));
        metrics.joinFailures.increment();
        if (!lock.isZero()) {
            metrics.lockouts.increment();
        }
        error(c, ErrorCode.UNKNOWN_SESSION, "there is no session " + sid + " on this relay: check the session ID (the session may have ended)",
                lock.toMillis());
    }

    private void fromCandidate(SessionRuntime rt, Connection c, Message.CandidateMessage cm, byte[] bytes) {
        SessionRuntime.Candidate cand = rt.candidates.get(c.id);
        if (cand == null) {
            error(c, ErrorCode.NOT_A_MEMBER, "your join attempt is over; send a new join request", 0);
            return;
        }
        if (!cm.recipients().isEmpty() && cm.recipients().get(0) != cand.sponsorId()) {
            error(c, ErrorCode.UNKNOWN_RECIPIENT, "a candidate can only talk to the member checking its password", 0);
            return;
        }
        Connection sponsor = rt.online.get(cand.sponsorId());
        if (sponsor == null) {
            error(c, ErrorCode.SPONSOR_GONE, "the member checking your password went away; send a new join request", 0);
            return;
        }
        sendBytes(sponsor, stamp(bytes, c.id));
    }

    private void toCandidate(SessionRuntime rt, Connection c, Message.CandidateMessage cm, byte[] bytes) {
        SessionRuntime.Candidate cand = cm.recipients().size() == 1 ? rt.candidates.get(cm.recipients().get(0)) : null;
        if (cand == null || cand.sponsorId() != c.id) {
            error(c, ErrorCode.UNKNOWN_CANDIDATE, "no candidate " + cm.recipients() + " is waiting on you", 0);
            return;
        }
        sendBytes(cand.connection(), stamp(bytes, c.id));
    }

    private void admit(SessionRuntime rt, Connection c, int cid) {
        SessionRuntime.Candidate cand = rt.candidates.get(cid);
        if (cand == null || cand.sponsorId() != c.id) {
            error(c, ErrorCode.UNKNOWN_CANDIDATE, "no candidate " + cid + " is waiting on you", 0);
            return;
        }
        rt.candidates.remove(cid);
        Connection cc = cand.connection();
        SessionState st = store.get(rt.id).orElseThrow();
        if (st.full()) {
            cc.reset(clock.instant());
            send(cc, rt.id, new Message.JoinRejected("session " + rt.id + " is full (" + SessionState.MAX_MEMBERS + " members)", 0));
            error(c, ErrorCode.SESSION_FULL, "candidate " + cid + " cannot be admitted: the session is full", 0);
            return;
        }
        byte[] resume = newToken();
        MemberRecord rec = new MemberRecord(cid, cand.profile(), cc.address, "", clock.instant(), null, sha256(resume));
        SessionState after = store.update(rt.id, s -> s.withMember(rec)).orElseThrow();
        limiter.recordSuccess(ipKey(cc.address));
        metrics.joinsAdmitted.increment();
        becomeMember(rt, cc, cid, resume, false, false);
        broadcastList(rt, after);
        log.info("session {}: candidate {} admitted as {} ({} members)", rt.id, cid,
                after.letterOf(cid).orElse('?'), after.members().size());
    }

    private void reject(SessionRuntime rt, Connection c, int cid) {
        SessionRuntime.Candidate cand = rt.candidates.get(cid);
        if (cand == null || cand.sponsorId() != c.id) {
            error(c, ErrorCode.UNKNOWN_CANDIDATE, "no candidate " + cid + " is waiting on you", 0);
            return;
        }
        rt.candidates.remove(cid);
        failJoin(rt, cand, "wrong session ID or password");
    }

    private void failJoin(SessionRuntime rt, SessionRuntime.Candidate cand, String why) {
        Connection cc = cand.connection();
        Duration wait = recordJoinFailure(rt.id, cc.address);
        cc.reset(clock.instant());
        String text = wait.isZero() ? why + "; check them and try again"
                : why + "; too many failed attempts, try again in " + seconds(wait) + " s";
        send(cc, rt.id, new Message.JoinRejected(text, wait.toMillis()));
        log.info("session {}: candidate {} from {} failed to join: {}", rt.id, cand.id(), cc.address, why);
    }

    private Duration recordJoinFailure(SessionId sid, String address) {
        Duration a = limiter.recordFailure(sessionKey(sid));
        Duration b = limiter.recordFailure(ipKey(address));
        metrics.joinFailures.increment();
        Duration wait = max(a, b);
        if (!wait.isZero()) {
            metrics.lockouts.increment();
        }
        return wait;
    }

    // ------------------------------------------------------------------ members

    private void becomeMember(SessionRuntime rt, Connection c, int memberId, byte[] resumeToken, boolean resumed, boolean missed) {
        byte[] transfer = newToken();
        String grantKey = Base64.getUrlEncoder().withoutPadding().encodeToString(transfer);
        grants.put(grantKey, new TransferGrant(rt.id, memberId));
        c.role = Connection.Role.MEMBER;
        c.runtime = rt;
        c.id = memberId;
        c.transferToken = grantKey;
        rt.online.put(memberId, c);
        send(c, rt.id, new Message.Welcome(memberId, resumeToken, transfer, resumed, missed));
    }

    private void resume(Connection c, SessionId sid, Message.Resume r) {
        if (c.role != Connection.Role.NEW) {
            error(c, ErrorCode.ALREADY_IN_SESSION, "this connection is already in a session", 0);
            return;
        }
        SessionRuntime rt = runtimes.get(sid);
        if (rt == null) {
            error(c, ErrorCode.RESUME_FAILED, "session " + sid + " no longer exists (it ended or expired); create or join a session", 0);
            return;
        }
        synchronized (rt) {
            Optional<MemberRecord> rec = rt.ended ? Optional.empty() : store.get(sid).flatMap(s -> s.member(r.memberId()));
            if (rec.isEmpty()) {
                error(c, ErrorCode.RESUME_FAILED, "your place in session " + sid + " was given up (offline longer than "
                        + config.gracePeriod().toSeconds() + " s); join the session again", 0);
                return;
            }
            if (!MessageDigest.isEqual(sha256(r.resumeToken()), rec.get().resumeTokenHash())) {
                limiter.recordFailure(ipKey(c.address));
                error(c, ErrorCode.RESUME_FAILED, "the resume token does not match; join the session again", 0);
                return;
            }
            Connection old = rt.online.remove(r.memberId());
            if (old != null) {
                // the old connection is half-open; the resumed one replaces it
                revoke(old);
                old.reset(clock.instant());
                old.peer.close(1000, "replaced by a resumed connection");
            }
            byte[] token = newToken();
            SessionState st = store.update(sid, s -> s.online(r.memberId(), c.address, sha256(token))).orElseThrow();
            SessionRuntime.OfflineBuffer buffer = rt.offline.remove(r.memberId());
            becomeMember(rt, c, r.memberId(), token, true, buffer != null && buffer.overflowed);
            if (buffer != null) {
                for (byte[] frame : buffer.frames) {
                    sendBytes(c, frame);
                }
            }
            rt.lastActivity = clock.instant();
            broadcastList(rt, st);
            log.info("session {}: member {} resumed ({} buffered frames replayed)", sid, r.memberId(), buffer == null ? 0 : buffer.frames.size());
        }
    }

    private void forward(SessionRuntime rt, Connection c, List<Integer> recipients, byte[] bytes) {
        SessionState st = store.get(rt.id).orElseThrow();
        List<Integer> targets = new ArrayList<>();
        if (recipients.isEmpty()) {
            for (MemberRecord m : st.members()) {
                if (m.memberId() != c.id) {
                    targets.add(m.memberId());
                }
            }
        } else {
            for (int r : recipients) {
                if (r == c.id || st.member(r).isEmpty()) {
                    error(c, ErrorCode.UNKNOWN_RECIPIENT, "recipient " + r + " is not another member of this session; frame dropped", 0);
                    return;
                }
                targets.add(r);
            }
        }
        byte[] out = stamp(bytes, c.id);
        for (int r : targets) {
            Connection to = rt.online.get(r);
            if (to != null) {
                sendBytes(to, out);
            } else {
                SessionRuntime.OfflineBuffer buf = rt.offline.get(r);
                if (buf != null) {
                    buf.add(out, config.offlineBufferBytes());
                }
            }
        }
    }

    private void leaderCommand(SessionRuntime rt, Connection c, Message.LeaderCommand lc, byte[] bytes) {
        SessionState st = store.get(rt.id).orElseThrow();
        if (!st.isLeader(c.id)) {
            metrics.leaderCommandsRefused.increment();
            error(c, ErrorCode.NOT_LEADER, "only member A, the session leader, can change settings, start the inventory or"
                    + " the synchronization, or restart the session", 0);
            return;
        }
        if (lc.kind() == Message.LeaderCommand.Kind.RESTART) {
            parts.deleteSession(rt.id);
        }
        forward(rt, c, List.of(), bytes);
    }

    private void setStatus(SessionRuntime rt, Connection c, String status) {
        int id = c.id;
        store.update(rt.id, s -> s.withStatus(id, status)).ifPresent(s -> broadcastList(rt, s));
    }

    private void leave(SessionRuntime rt, Connection c) {
        int id = c.id;
        send(c, rt.id, new Message.MemberLeft(id, Message.MemberLeft.LeaveReason.LEFT));
        removeMember(rt, id, Message.MemberLeft.LeaveReason.LEFT);
    }

    private void removeMember(SessionRuntime rt, int memberId, Message.MemberLeft.LeaveReason reason) {
        Connection mc = rt.online.remove(memberId);
        rt.offline.remove(memberId);
        if (mc != null) {
            revoke(mc);
            mc.reset(clock.instant());
        }
        Optional<SessionState> st = store.update(rt.id, s -> s.without(memberId));
        parts.forgetRecipient(rt.id, memberId);
        dropCandidatesOf(rt, memberId);
        log.info("session {}: member {} {}", rt.id, memberId, reason == Message.MemberLeft.LeaveReason.LEFT ? "left" : "lost its place");
        if (st.isEmpty() || st.get().empty()) {
            endSession(rt, null, "last member left");
            return;
        }
        for (Connection to : rt.online.values()) {
            send(to, rt.id, new Message.MemberLeft(memberId, reason));
        }
        broadcastList(rt, st.get());
    }

    private void dropCandidatesOf(SessionRuntime rt, int sponsorId) {
        for (var it = rt.candidates.values().iterator(); it.hasNext(); ) {
            SessionRuntime.Candidate cand = it.next();
            if (cand.sponsorId() == sponsorId) {
                it.remove();
                cand.connection().reset(clock.instant());
                error(cand.connection(), ErrorCode.SPONSOR_GONE,
                        "the member checking your password went away; send a new join request", 0);
            }
        }
    }

    private void endSession(SessionRuntime rt, Message.SessionEnded.EndReason reason, String why) {
        rt.ended = true;
        runtimes.remove(rt.id, rt);
        store.delete(rt.id);
        parts.deleteSession(rt.id);
        metrics.sessionsEnded.increment();
        for (Connection c : List.copyOf(rt.online.values())) {
            revoke(c);
            if (reason != null) {
                send(c, rt.id, new Message.SessionEnded(reason));
                c.reset(clock.instant());
                c.peer.close(1000, "session ended: " + why);
            } else {
                c.reset(clock.instant());
            }
        }
        for (SessionRuntime.Candidate cand : rt.candidates.values()) {
            cand.connection().reset(clock.instant());
            error(cand.connection(), ErrorCode.UNKNOWN_SESSION, "session " + rt.id + " ended", 0);
        }
        rt.online.clear();
        rt.candidates.clear();
        rt.offline.clear();
        log.info("session {} ended: {} ({} sessions open)", rt.id, why, store.size());
    }

    // ------------------------------------------------------------------ maintenance

    /**
     * Ends idle sessions, gives up places kept longer than the grace period and times out candidates.
     * Called periodically by the server; safe to call at any time.
     */
    public void sweep() {
        Instant now = clock.instant();
        for (SessionRuntime rt : runtimes.values()) {
            synchronized (rt) {
                if (rt.ended) {
                    continue;
                }
                if (rt.lastActivity.plus(config.idleExpiry()).isBefore(now)) {
                    endSession(rt, Message.SessionEnded.EndReason.IDLE_EXPIRED, "idle for more than " + config.idleExpiry());
                    continue;
                }
                Optional<SessionState> st = store.get(rt.id);
                if (st.isEmpty()) {
                    endSession(rt, Message.SessionEnded.EndReason.IDLE_EXPIRED, "state lost");
                    continue;
                }
                for (MemberRecord m : st.get().members()) {
                    if (!m.online() && m.offlineSince().plus(config.gracePeriod()).isBefore(now) && !rt.ended) {
                        removeMember(rt, m.memberId(), Message.MemberLeft.LeaveReason.CONNECTION_LOST);
                    }
                }
                for (SessionRuntime.Candidate cand : List.copyOf(rt.candidates.values())) {
                    if (!rt.ended && cand.startedAt().plus(config.candidateTimeout()).isBefore(now)) {
                        rt.candidates.remove(cand.id());
                        failJoin(rt, cand, "authentication timed out");
                    }
                }
            }
        }
        for (Connection c : connections.values()) {
            if (c.role == Connection.Role.NEW && !c.closed && c.unboundSince.plus(config.unboundTimeout()).isBefore(now)) {
                close(c, 1000, "no session created, joined or resumed within " + config.unboundTimeout().toSeconds() + " s");
            }
        }
        limiter.purge();
    }

    /** Ends every session (relay shutdown), telling the members. */
    public void shutdown() {
        for (SessionRuntime rt : runtimes.values()) {
            synchronized (rt) {
                if (!rt.ended) {
                    endSession(rt, Message.SessionEnded.EndReason.RELAY_SHUTDOWN, "relay shutting down");
                }
            }
        }
    }

    // ------------------------------------------------------------------ sending helpers

    private void broadcastList(SessionRuntime rt, SessionState st) {
        Message.MemberList list = st.view();
        for (Connection c : rt.online.values()) {
            send(c, rt.id, list);
        }
    }

    private void send(Connection c, SessionId sid, Message m) {
        Frame f = MessageCodec.toFrame(m, sid == null ? 0 : sid.value(), c.relaySequence.incrementAndGet(), 0);
        sendBytes(c, FrameCodec.encode(f));
    }

    private void error(Connection c, ErrorCode code, String text, long retryAfterMillis) {
        SessionRuntime rt = c.runtime;
        send(c, rt == null ? null : rt.id, new Message.Error(code, truncate(text, 300), retryAfterMillis));
    }

    private void sendBytes(Connection c, byte[] bytes) {
        metrics.framesSent.increment();
        metrics.bytesSent.add(bytes.length);
        c.peer.send(bytes);
    }

    private void close(Connection c, int code, String reason) {
        c.peer.close(code, truncateUtf8(reason, 120));
    }

    private void revoke(Connection c) {
        String t = c.transferToken;
        if (t != null) {
            grants.remove(t);
            c.transferToken = null;
        }
    }

    private static byte[] stamp(byte[] frame, int sender) {
        byte[] out = frame.clone();
        out[SENDER_OFFSET] = (byte) (sender >>> 24);
        out[SENDER_OFFSET + 1] = (byte) (sender >>> 16);
        out[SENDER_OFFSET + 2] = (byte) (sender >>> 8);
        out[SENDER_OFFSET + 3] = (byte) sender;
        return out;
    }

    private byte[] newToken() {
        byte[] t = new byte[TOKEN_BYTES];
        random.nextBytes(t);
        return t;
    }

    private static byte[] sha256(byte[] v) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(v);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static String ipKey(String address) {
        return "ip:" + address;
    }

    private static String sessionKey(SessionId id) {
        return "session:" + id;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** WebSocket close reasons are limited to 123 bytes of UTF-8. */
    static String truncateUtf8(String s, int maxBytes) {
        String t = s;
        while (t.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    /** Number of open connections (for tests and metrics). */
    public int connectionCount() {
        return connections.size();
    }

    /** Snapshot of the live transfer grants count (for tests). */
    int grantCount() {
        return grants.size();
    }

    Map<SessionId, SessionRuntime> runtimes() {
        return runtimes;
    }
}
