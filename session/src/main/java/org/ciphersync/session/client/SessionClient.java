package org.ciphersync.session.client;

import java.security.InvalidKeyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.inventory.Inventory;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.PakeFailedException;
import org.ciphersync.crypto.channel.SecureChannel;
import org.ciphersync.crypto.identity.Identity;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.crypto.pake.PakeResult;
import org.ciphersync.crypto.pake.PakeSession;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.crypto.secret.SessionPasswords;
import org.ciphersync.relay.protocol.client.Inbound;
import org.ciphersync.relay.protocol.client.RelayException;
import org.ciphersync.relay.protocol.frame.FrameType;
import org.ciphersync.relay.protocol.message.MemberView;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.message.MessageCodec;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.JoinRefusedException;
import org.ciphersync.session.RunInProgressException;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.channel.ChannelException;
import org.ciphersync.session.channel.GroupChannel;
import org.ciphersync.session.channel.JoinBundle;
import org.ciphersync.session.channel.LeaderSignature;
import org.ciphersync.session.channel.Rekey;
import org.ciphersync.session.link.RelayLink;
import org.ciphersync.session.member.MemberInfo;
import org.ciphersync.session.member.SourceEntry;
import org.ciphersync.session.wire.GroupMessage;
import org.ciphersync.session.wire.GroupMessageCodec;
import org.ciphersync.session.wire.SettingsCodec;
import org.ciphersync.session.wire.WireException;

/**
 * One member of a Cloud Session: creates or joins it, keeps the member list, shares its data
 * sources, obeys verified leader orders, exits and resumes. Every frame it sends to other members is
 * sealed in the {@link GroupChannel}; every frame it receives is hostile until opened and checked.
 *
 * <pre>{@code
 * SessionClient a = SessionClient.create(SessionOptions.of(connector, profile));
 * String id = a.sessionId().toString();              // give both to the others
 * try (Password pw = a.password()) { ... }
 * SessionClient b = SessionClient.join(options, SessionId.parse(id), typedPassword);
 * }</pre>
 *
 * <p>Threading: one reader thread per client handles inbound frames under the client's lock; the
 * public methods take the same lock, so the state is always consistent. Listeners run on the reader
 * thread.
 */
public final class SessionClient implements AutoCloseable {
    /** Failed PAKE runs this member sponsors before it refuses candidates for a while (defence in depth). */
    static final int SPONSOR_FAILURES_BEFORE_PAUSE = 10;

    private enum Phase { ACTIVE, LEAVING, OUT }

    private final Object lock = new Object();
    private final SessionOptions options;
    private final Identity identity;
    private final SessionId sessionId;
    private final int self;
    private final Password password;
    private final GroupChannel channel;
    private volatile RelayLink link;
    private byte[] resumeToken;
    private final LinkedHashMap<Integer, IdentityPublicKeys> roster = new LinkedHashMap<>();
    private final Map<Integer, List<SourceEntry>> sources = new HashMap<>();
    private final Map<Integer, Candidate> candidates = new HashMap<>();
    private final List<Inbound> stash = new ArrayList<>();
    /** Frames sealed and sent while the connection was dying; re-sent first after a resume. */
    private final java.util.ArrayDeque<Message> unsent = new java.util.ArrayDeque<>();
    /** Body bytes held in {@link #unsent}; at most {@link #MAX_UNSENT_BYTES}, as the relay's offline buffer. */
    private long unsentBytes;
    private static final long MAX_UNSENT_BYTES = 4L << 20;
    private final List<String> alerts = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private List<MemberView> relayMembers = List.of();
    private long relayListEpoch = -1;
    private Set<Integer> keyedMembers = new LinkedHashSet<>();
    private Set<Integer> lastRotationRecipients = Set.of();
    private SyncSettings settings = SyncSettings.defaults();
    private RunState run = RunState.IDLE;
    private int restarts;
    private int sponsorFailures;
    private long sponsorPausedUntil;
    private volatile Phase phase = Phase.ACTIVE;
    private volatile String endReason;
    private Thread reader;
    private final java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("session-work").unstarted(r));
    private final SessionCore core = new Core();
    private final SyncCoordinator sync;
    private final InventoryExchange inventory;

    private record Candidate(PakeSession pake, IdentityPublicKeys announced) {
    }

    private SessionClient(SessionOptions options, RelayLink link, SessionId sessionId, int self, Password password) {
        this.options = options;
        this.identity = options.profile().identity();
        this.link = link;
        this.sessionId = sessionId;
        this.self = self;
        this.password = password;
        this.channel = new GroupChannel(sessionId, self);
        this.resumeToken = link.resumeToken();
        sources.put(self, List.copyOf(options.sources()));
        this.sync = new SyncCoordinator(core, listener -> new InventoryExchange(core, listener));
        this.inventory = sync.inventory();
    }

    // ------------------------------------------------------------------ create / join

    /**
     * Creates a session on the relay: the relay makes the Session ID, this client makes the Session
     * Password and the first group key (neither ever leaves this process unencrypted).
     */
    public static SessionClient create(SessionOptions options) throws SessionException {
        RelayLink link = Joining.connect(options);
        try {
            link.send(new Message.CreateSession(options.profile().memberProfile()));
            List<Inbound> early = new ArrayList<>();
            Inbound w = Joining.await(link, options.timeout(), early, Message.Welcome.class, "creating the session");
            Message.Welcome welcome = (Message.Welcome) w.message();
            SessionId sid = new SessionId(w.frame().sessionId());
            SessionClient c = new SessionClient(options, link, sid, welcome.memberId(), SessionPasswords.generate(options.random()));
            try (SecretBytes first = SecretBytes.random(options.random(), 32)) {
                c.channel.install(1, first, false);
            }
            c.roster.put(c.self, c.identity.publicKeys());
            c.keyedMembers = new LinkedHashSet<>(List.of(c.self));
            c.stash.addAll(early);
            c.startReader();
            return c;
        } catch (RelayException e) {
            link.close();
            throw new SessionException("lost the relay while creating the session: " + e.getMessage(), e);
        } catch (SessionException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /**
     * Joins {@code sessionId} with the Session Password (S3): runs the PAKE with the member the relay
     * chose as sponsor, receives the group key and the authenticated member identities over the
     * PAKE-keyed channel, then becomes a member.
     *
     * @throws JoinRefusedException wrong ID or password, session full, locked out (see its retry-after); the
     *                              person may correct the input and call again
     * @throws SessionException     the relay is unreachable or the exchange was tampered with
     */
    public static SessionClient join(SessionOptions options, SessionId sessionId, Password password) throws SessionException {
        Joining.Admission in = Joining.join(options, sessionId, password);
        try (JoinBundle bundle = in.bundle()) {
            SessionClient c = new SessionClient(options, in.link(), sessionId, in.memberId(), Password.copyOf(password.expose()));
            c.channel.install(bundle.epoch(), bundle.groupKey(), true);
            c.roster.putAll(bundle.roster());
            c.keyedMembers = new LinkedHashSet<>(bundle.roster().keySet());
            c.settings = bundle.settings();
            c.stash.addAll(in.early());
            c.startReader();
            synchronized (c.lock) {
                c.broadcastState();
            }
            return c;
        } catch (SessionException | RuntimeException e) {
            in.link().close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ public API

    public SessionId sessionId() {
        return sessionId;
    }

    /** This member's id in the session. */
    public int memberId() {
        return self;
    }

    /** A copy of the Session Password, to show to the person (close it after use). */
    public Password password() {
        return Password.copyOf(password.expose());
    }

    /** A snapshot of the session as this member sees it. */
    public SessionView view() {
        synchronized (lock) {
            return buildView();
        }
    }

    /** Security alerts raised so far (modified, replayed, reordered or dropped frames, forged orders, swapped keys). */
    public List<String> alerts() {
        return List.copyOf(alerts);
    }

    /** Requests the relay refused (for example a leader command sent by a non-leader). */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** Whether this member is still in the session. */
    public boolean active() {
        return phase == Phase.ACTIVE;
    }

    /** Why this member is out of the session, or null while it is in. */
    public String endReason() {
        return endReason;
    }

    /**
     * Waits until {@code condition} holds for the view.
     *
     * @return the view that satisfied it
     * @throws SessionException after {@code timeout}, with the last view in the message
     */
    public SessionView await(Predicate<SessionView> condition, Duration timeout) throws SessionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SessionView v = view();
        while (!condition.test(v)) {
            if (System.nanoTime() > deadline) {
                throw new SessionException("timed out after " + timeout.toMillis() + " ms; the session looks like: "
                        + v.lettersAndNames() + " (key epoch " + v.keyEpoch() + ")");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SessionException("interrupted while waiting");
            }
            v = view();
        }
        return v;
    }

    /** Adds a data source of this member (S6); the others see it at once. */
    public void addSource(SourceEntry source) throws SessionException {
        synchronized (lock) {
            requireActive();
            List<SourceEntry> mine = new ArrayList<>(sources.get(self));
            if (mine.contains(source)) {
                return;
            }
            if (mine.size() >= SourceEntry.MAX_PER_MEMBER) {
                throw new SessionException("a member can select at most " + SourceEntry.MAX_PER_MEMBER + " sources; remove one first");
            }
            mine.add(source);
            sources.put(self, List.copyOf(mine));
            broadcastState();
            emit(new SessionEvent.MembersChanged(buildView()));
        }
    }

    /** Removes a data source of this member. */
    public void removeSource(SourceEntry source) throws SessionException {
        synchronized (lock) {
            requireActive();
            List<SourceEntry> mine = new ArrayList<>(sources.get(self));
            if (!mine.remove(source)) {
                throw new SessionException("'" + source.path() + "' is not one of your sources");
            }
            sources.put(self, List.copyOf(mine));
            broadcastState();
            emit(new SessionEvent.MembersChanged(buildView()));
        }
    }

    /** Sets this member's status label (shown to all; the relay sees it: no secrets). */
    public void setStatus(String status) throws SessionException {
        synchronized (lock) {
            requireActive();
            send(new Message.SetStatus(status));
        }
    }

    /** Changes the Session Settings (S7). Leader only. */
    public void changeSettings(SyncSettings newSettings) throws SessionException {
        Objects.requireNonNull(newSettings, "newSettings == null");
        synchronized (lock) {
            sendOrder(Message.LeaderCommand.Kind.SETTINGS, SettingsCodec.encode(newSettings), "change the Session Settings");
            settings = newSettings;
            emit(new SessionEvent.SettingsChanged(newSettings));
        }
    }

    /**
     * Starts the Data Inventory (S8). Leader only. Every member then scans its own sources, shares its
     * inventories sealed with the group key, and computes the comparison once all arrived
     * ({@link #comparison()}, {@link SessionEvent.ComparisonReady}).
     */
    public void startInventory() throws SessionException {
        synchronized (lock) {
            long id = options.random().nextLong() & Long.MAX_VALUE | 1;
            sendOrder(Message.LeaderCommand.Kind.START_INVENTORY, new org.ciphersync.session.wire.WireWriter().u64(id).toByteArray(),
                    "start the Data Inventory");
            run = RunState.INVENTORY;
            sync.reset();
            inventory.begin(id);
        }
    }

    /** The comparison of the last Data Inventory, once every member's inventory arrived. */
    public java.util.Optional<Comparison> comparison() {
        synchronized (lock) {
            return java.util.Optional.ofNullable(inventory.comparison());
        }
    }

    /** Why the last Data Inventory could not complete here, or null. */
    public String inventoryProblem() {
        synchronized (lock) {
            return inventory.problem();
        }
    }

    /**
     * Starts the Data Synchronization (S11) with {@code preset}. Leader only, after the comparison is ready.
     * The order carries the run, the preset and a digest of the comparison's inputs, signed by the leader;
     * every member checks the digest against its own comparison, computes the same plan and carries out
     * the actions that target its own sources (fetching content from the members that have it).
     */
    public void startSynchronization(Preset preset) throws SessionException {
        startSynchronization(PlanChoice.of(preset));
    }

    /**
     * Starts the Data Synchronization (S10, S11) with a preset or a rules file, with the safety guards of
     * local synchronization (see {@link #startSynchronization(PlanChoice, boolean)}).
     */
    public void startSynchronization(PlanChoice choice) throws SessionException {
        startSynchronization(choice, false);
    }

    /**
     * Starts the Data Synchronization (S10, S11) with a preset or a rules file. Leader only, after the
     * comparison is ready. The leader computes the plan first: a rules file that names unknown nodes, a
     * plan the consistency checker refuses or, unless {@code force}, a plan that local synchronization's
     * safety guards refuse (deletes while a node is empty and another is not; more than half of a node's
     * items deleted, at least 10) fails here ("the plan was refused: …") and nothing is sent.
     */
    public void startSynchronization(PlanChoice choice, boolean force) throws SessionException {
        java.util.Objects.requireNonNull(choice, "choice == null");
        synchronized (lock) {
            if (inventory.comparison() == null || inventory.comparisonDigest() == null) {
                throw new SessionException("run the Data Inventory first: there is no comparison to synchronize"
                        + (inventory.problem() == null ? "" : " (" + inventory.problem() + ")"));
            }
            if (leaderId() == self) {
                // refuse before ordering anything
                org.ciphersync.core.plan.Plan plan = choice.plan(inventory.comparison(), settings,
                        InventoryExchange.basesOf(inventory.compared()));
                if (!force) {
                    PlanChoice.guard(plan, inventory.compared().stream().map(org.ciphersync.session.inventory.SharedNode::inventory).toList());
                }
            }
            byte[] body = choice.orderBody(inventory.runId(), inventory.comparisonDigest());
            sync.started(choice, sendOrder(Message.LeaderCommand.Kind.START_SYNCHRONIZATION, body, "start the Data Synchronization"));
        }
    }

    /** Each member's result of the last synchronization run, as they report it. */
    public List<MemberSyncResult> syncResults() {
        synchronized (lock) {
            return sync.results();
        }
    }

    /**
     * Whether every member of the last synchronization run reported its result, or left the session
     * (then its items count as failed).
     */
    public boolean syncComplete() {
        synchronized (lock) {
            return sync.complete();
        }
    }

    /** The failed items of this member in the last synchronization run, each with its reason. */
    public List<GroupMessage.ItemFailure> syncFailures() {
        synchronized (lock) {
            return sync.failures();
        }
    }

    /** Why the last synchronization could not run here, or null. */
    public String syncProblem() {
        synchronized (lock) {
            return sync.problem();
        }
    }

    /** Restarts the session (S5): resets inventory, comparison and plan; keeps members and sources. Leader only. */
    public void restart() throws SessionException {
        synchronized (lock) {
            sendOrder(Message.LeaderCommand.Kind.RESTART, new byte[0], "restart the session");
            run = RunState.IDLE;
            restarts++;
            sync.reset();
            inventory.reset();
        }
    }

    /** Whether an inventory or synchronization is in progress (Exit then needs confirmation). */
    public boolean runInProgress() {
        synchronized (lock) {
            return run.inProgress();
        }
    }

    /**
     * Leaves the session for good (Exit, S5). The session ends when the last member leaves.
     *
     * @param confirmed the person confirmed leaving although a run is in progress
     * @throws RunInProgressException when a run is in progress and {@code confirmed} is false
     */
    public void leave(boolean confirmed) throws SessionException {
        synchronized (lock) {
            if (phase != Phase.ACTIVE) {
                return;
            }
            if (run.inProgress() && !confirmed) {
                throw new RunInProgressException("the " + (run == RunState.INVENTORY ? "Data Inventory" : "Data Synchronization")
                        + " is in progress; leaving now stops your part of it. Confirm to leave anyway.");
            }
            phase = Phase.LEAVING;
            try {
                link.send(new Message.Leave());
            } catch (RelayException e) {
                // the relay removes us after the grace period anyway
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (phase == Phase.LEAVING && System.nanoTime() < deadline) {
            sleep(20);
        }
        shutdown("you left the session");
    }

    /** Drops the relay connection as a network failure would (for diagnostics and tests); the client resumes. */
    public void dropConnection() {
        link.abort();
    }

    /**
     * For tests in this package only: stops this client as if its process was killed: the connection
     * drops without LEAVE, nothing reconnects, nothing is cleaned up. A thread blocked inside the client
     * (a test's stalled download) stays blocked, as a frozen process would.
     */
    void haltForTest() {
        phase = Phase.OUT;
        endReason = "halted";
        link.abort();
    }

    @Override
    public void close() {
        try {
            leave(true);
        } catch (SessionException e) {
            shutdown("closed");
        }
    }

    // ------------------------------------------------------------------ sending

    private void requireActive() throws SessionException {
        if (phase != Phase.ACTIVE) {
            throw new SessionException("this client is no longer in the session" + (endReason == null ? "" : " (" + endReason + ")"));
        }
    }

    private void send(Message m) throws SessionException {
        RelayLink l = link;
        try {
            l.send(m);
        } catch (RelayException e) {
            // The connection died under this frame (its sequence number is spent): keep it and send it,
            // in order, right after the resume, so nobody sees a gap in this member's frames.
            synchronized (unsent) {
                RelayLink now = link;
                if (now != l && unsent.isEmpty()) { // resumed meanwhile: the queue is already out, send after it
                    try {
                        now.send(m);
                        return;
                    } catch (RelayException again) {
                        l = now;
                    }
                }
                long size = MessageCodec.encodeBody(m).length;
                if (phase == Phase.ACTIVE && l.isClosed() && unsentBytes + size <= MAX_UNSENT_BYTES) {
                    unsent.add(m);
                    unsentBytes += size;
                    return;
                }
            }
            throw new SessionException("cannot reach the relay: " + e.getMessage() + " (the client keeps trying to reconnect)", e);
        }
    }

    /**
     * Sends the frames a dead connection refused, oldest first, on {@code fresh}, then makes it the
     * connection every later frame takes; false (and nothing switched) if {@code fresh} failed too.
     */
    private boolean switchTo(RelayLink fresh) {
        synchronized (unsent) {
            while (!unsent.isEmpty()) {
                try {
                    fresh.send(unsent.getFirst());
                } catch (RelayException e) {
                    return false;
                }
                unsent.removeFirst();
            }
            unsentBytes = 0;
            link = fresh;
            return true;
        }
    }

    private void broadcast(GroupMessage m) throws SessionException {
        byte[] sealed = channel.seal(FrameType.DATA, GroupMessageCodec.encode(m));
        send(new Message.Data(List.of(), sealed));
    }

    private void broadcastState() throws SessionException {
        if (relayMembers.size() > 1 || roster.size() > 1) {
            broadcast(new GroupMessage.MemberState(sources.get(self)));
        }
    }

    private GroupMessage.SignedOrder sendOrder(Message.LeaderCommand.Kind kind, byte[] body, String what) throws SessionException {
        requireActive();
        int leader = leaderId();
        if (leader != self) {
            throw new SessionException("only member A, the session leader, can " + what + "; you are member "
                    + letterOf(self) + ". Ask member A.");
        }
        return sendOrderUnchecked(kind, body);
    }

    /**
     * Signs and sends an order without checking leadership here (the relay and the members still check);
     * returns it as signed, so it can be shown again to a member that takes a run over.
     */
    private GroupMessage.SignedOrder sendOrderUnchecked(Message.LeaderCommand.Kind kind, byte[] body) throws SessionException {
        long epoch = channel.epoch();
        long seq = channel.nextSequence();
        byte[] sig = LeaderSignature.sign(identity, sessionId, epoch, self, seq, kind, body);
        byte[] sealed = channel.seal(FrameType.LEADER_COMMAND, GroupMessageCodec.encode(new GroupMessage.LeaderOrder(kind, body, sig)));
        send(new Message.LeaderCommand(kind, sealed));
        return new GroupMessage.SignedOrder(epoch, seq, new GroupMessage.LeaderOrder(kind, body, sig));
    }

    /**
     * Sends a leader order although this member does not lead: only for tests that prove the relay
     * and every member refuse it. {@code asData} sends it inside a DATA frame, bypassing the relay's check.
     */
    void sendOrderAsNonLeaderForTest(Message.LeaderCommand.Kind kind, byte[] body, boolean asData) throws SessionException {
        synchronized (lock) {
            if (!asData) {
                sendOrderUnchecked(kind, body);
                return;
            }
            long seq = channel.nextSequence();
            byte[] sig = LeaderSignature.sign(identity, sessionId, channel.epoch(), self, seq, kind, body);
            broadcast(new GroupMessage.LeaderOrder(kind, body, sig));
        }
    }

    /** For tests in this package only: the members the last rotation this member issued was wrapped for. */
    Set<Integer> lastRotationRecipientsForTest() {
        synchronized (lock) {
            return lastRotationRecipients;
        }
    }

    /** For tests in this package only: the current group key, to prove it never crosses the relay. */
    byte[] groupKeyForTest() {
        synchronized (lock) {
            try (SecretBytes k = channel.currentKey()) {
                return k.expose().clone();
            }
        }
    }

    // ------------------------------------------------------------------ reader

    private void startReader() {
        reader = Thread.ofPlatform().daemon().name("session-" + sessionId + "-m" + self).start(this::readLoop);
    }

    private void readLoop() {
        synchronized (lock) {
            for (Inbound in : stash) {
                handleSafely(in);
            }
            stash.clear();
        }
        while (phase != Phase.OUT) {
            RelayLink l = link;
            Inbound in;
            try {
                in = l.next(Joining.POLL);
            } catch (RelayException e) {
                in = null;
            }
            if (in != null) {
                synchronized (lock) {
                    handleSafely(in);
                }
                continue;
            }
            if (l.isClosed() && phase == Phase.ACTIVE) {
                reconnect();
            } else if (l.isClosed() && phase == Phase.LEAVING) {
                phase = Phase.OUT;
            }
        }
    }

    private void handleSafely(Inbound in) {
        try {
            handle(in);
        } catch (SessionException e) {
            alert("could not act on a " + in.frame().type() + " frame: " + e.getMessage());
        } catch (RuntimeException e) {
            alert("internal error on a " + in.frame().type() + " frame: " + e);
        }
    }

    private void handle(Inbound in) throws SessionException {
        switch (in.message()) {
            case Message.MemberList l -> onMemberList(l);
            case Message.MemberLeft ml -> onMemberLeft(ml.memberId(), ml.reason() == Message.MemberLeft.LeaveReason.LEFT);
            case Message.JoinRequested jr -> onJoinRequested(jr);
            case Message.CandidateMessage cm -> onCandidateMessage(in.sender(), cm);
            case Message.Data d -> onData(in.sender(), d);
            case Message.LeaderCommand lc -> onLeaderCommand(in.sender(), lc);
            case Message.Welcome w -> resumeToken = link.resumeToken();
            case Message.Error err -> {
                String text = "the relay refused a request: " + err.message() + " (" + err.code() + ")";
                refusals.add(text);
                emit(new SessionEvent.Refused(text));
            }
            case Message.SessionEnded se -> end("the session ended (" + se.reason() + ")");
            default -> alert("unexpected " + in.frame().type() + " frame from the relay ignored");
        }
    }

    private void onMemberList(Message.MemberList l) throws SessionException {
        if (l.epoch() < relayListEpoch) {
            return; // an older membership; equal epochs carry status and online changes
        }
        relayListEpoch = l.epoch();
        relayMembers = l.members();
        boolean listed = false;
        for (MemberView m : relayMembers) {
            listed |= m.memberId() == self;
            IdentityPublicKeys known = roster.get(m.memberId());
            if (known != null && !java.util.Arrays.equals(known.encode(), m.profile().identityKey())) {
                alert("the relay shows member " + m.letter() + " (" + m.profile().machineName()
                        + ") with another identity key than the one authenticated when it joined; the authenticated key is kept");
            }
        }
        if (!listed) {
            end("this member is no longer in the session (its connection was lost longer than the grace period)");
            return;
        }
        emit(new SessionEvent.MembersChanged(buildView()));
        reconcileKeys();
        // The relay's MemberLeft and the member list without that member may arrive in either order:
        // an inventory run waiting for a member that has gone is re-checked on each.
        inventory.membersChanged();
        sync.finishIfComplete();
    }

    private void onMemberLeft(int memberId, boolean byChoice) throws SessionException {
        if (memberId == self) {
            if (phase == Phase.LEAVING) {
                phase = Phase.OUT;
            } else {
                end("the relay removed this member from the session");
            }
            return;
        }
        if (candidates.remove(memberId) != null) {
            return; // a candidate gave up; the relay counted it as a failed attempt
        }
        roster.remove(memberId);
        sources.remove(memberId);
        sync.memberDeparted(memberId, byChoice);
        inventory.membersChanged();
        emit(new SessionEvent.MembersChanged(buildView()));
        reconcileKeys();
    }

    // ------------------------------------------------------------------ sponsoring a join

    private void onJoinRequested(Message.JoinRequested jr) throws SessionException {
        int cid = jr.candidateId();
        long now = System.nanoTime();
        if (sponsorFailures >= SPONSOR_FAILURES_BEFORE_PAUSE && now < sponsorPausedUntil) {
            send(new Message.Reject(cid));
            return;
        }
        IdentityPublicKeys announced;
        try {
            byte[] k = jr.profile().identityKey();
            announced = IdentityPublicKeys.decode(k, 0);
            if (k.length != IdentityPublicKeys.ENCODED_LENGTH) {
                throw new MalformedCiphertextException("identity key has " + k.length + " bytes");
            }
        } catch (MalformedCiphertextException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            send(new Message.Reject(cid));
            return;
        }
        PakeSession pake = PakeSession.creator(sessionId.toString(), password, identity, options.random());
        byte[] r1 = pake.round1();
        try {
            pake.receiveRound1(jr.hello());
        } catch (PakeFailedException e) {
            sponsorFailed(cid);
            return;
        }
        byte[] r2 = pake.round2();
        candidates.put(cid, new Candidate(pake, announced));
        send(new Message.CandidateMessage(List.of(cid), Joining.concat(r1, r2)));
    }

    private void onCandidateMessage(int sender, Message.CandidateMessage cm) throws SessionException {
        Candidate cand = candidates.remove(sender);
        if (cand == null) {
            alert("a join message from unknown candidate " + sender + " was ignored");
            return;
        }
        byte[] m = cm.payload();
        if (m.length != PakeSession.ROUND2_LENGTH + PakeSession.ROUND3_LENGTH) {
            sponsorFailed(sender);
            return;
        }
        PakeResult result;
        try {
            cand.pake().receiveRound2(java.util.Arrays.copyOf(m, PakeSession.ROUND2_LENGTH));
            byte[] r3 = cand.pake().confirmation();
            result = cand.pake().receiveConfirmation(java.util.Arrays.copyOfRange(m, PakeSession.ROUND2_LENGTH, m.length));
            try (result) {
                if (!result.peer().equals(cand.announced())) {
                    alert("candidate " + sender + " proved the password with another identity key than the relay announced: "
                            + "it was refused (a relay swapping keys?)");
                    send(new Message.Reject(sender));
                    return;
                }
                if (roster.size() >= Message.MemberList.MAX_MEMBERS) {
                    send(new Message.Reject(sender));
                    return;
                }
                LinkedHashMap<Integer, IdentityPublicKeys> next = new LinkedHashMap<>(roster);
                next.put(sender, result.peer());
                byte[] sealed;
                try (SecretBytes key = channel.currentKey();
                     JoinBundle bundle = new JoinBundle(channel.epoch(), key.copy(), sender, next, settings)) {
                    sealed = new SecureChannel(result.sendKey(), result.receiveKey(), Joining.JOIN_CHANNEL).seal(bundle.encode());
                }
                send(new Message.CandidateMessage(List.of(sender), Joining.concat(r3, sealed)));
                send(new Message.Admit(sender));
                roster.put(sender, result.peer());
                sources.put(sender, List.of());
                sponsorFailures = 0;
                broadcast(new GroupMessage.Announce(sender, result.peer()));
            }
        } catch (PakeFailedException e) {
            sponsorFailed(sender);
            return;
        }
        emit(new SessionEvent.MembersChanged(buildView()));
        reconcileKeys();
    }

    private void sponsorFailed(int cid) throws SessionException {
        sponsorFailures++;
        if (sponsorFailures >= SPONSOR_FAILURES_BEFORE_PAUSE) {
            long pause = Duration.ofSeconds(30).toNanos() << Math.min(7, sponsorFailures - SPONSOR_FAILURES_BEFORE_PAUSE);
            sponsorPausedUntil = System.nanoTime() + pause;
        }
        send(new Message.Reject(cid));
    }

    // ------------------------------------------------------------------ group channel

    private void onData(int sender, Message.Data d) throws SessionException {
        byte[] payload = d.payload();
        if (payload.length > 0 && payload[0] == Rekey.KIND_REKEY) {
            onRekey(sender, payload);
            return;
        }
        GroupChannel.Opened o;
        GroupMessage m;
        try {
            o = channel.open(FrameType.DATA, sender, payload);
            m = GroupMessageCodec.decode(o.plaintext());
        } catch (ChannelException | WireException e) {
            alert("refused a frame from member " + sender + ": " + e.getMessage());
            return;
        }
        noteGap(o);
        switch (m) {
            case GroupMessage.Announce a -> {
                IdentityPublicKeys known = roster.get(a.memberId());
                if (known == null) {
                    roster.put(a.memberId(), a.keys());
                    sources.putIfAbsent(a.memberId(), List.of());
                    reconcileKeys();
                } else if (!known.equals(a.keys())) {
                    alert("member " + sender + " announced another identity for member " + a.memberId() + "; ignored");
                }
            }
            case GroupMessage.MemberState s -> sources.put(sender, s.sources());
            case GroupMessage.InventoryReady ir -> inventory.onReady(sender, ir);
            case GroupMessage.InventoryFailed fail -> inventory.onFailed(sender, fail);
            case GroupMessage.Manifest mf -> sync.route(sender, mf.runId(), mf);
            case GroupMessage.Need nd -> sync.route(sender, nd.runId(), nd);
            case GroupMessage.Parts ps -> sync.route(sender, ps.runId(), ps);
            case GroupMessage.Uploaded u -> sync.route(sender, u.runId(), u);
            case GroupMessage.Ready rd -> sync.route(sender, rd.runId(), rd);
            case GroupMessage.Bundle b -> {
                Runnable release = sync.holdNeeds(); // the NEEDs the bundle's manifests cause leave together
                try {
                    for (GroupMessage inner : b.messages()) {
                        switch (inner) {
                            case GroupMessage.Manifest mf -> sync.route(sender, mf.runId(), mf);
                            case GroupMessage.Need nd -> sync.route(sender, nd.runId(), nd);
                            case GroupMessage.Parts ps -> sync.route(sender, ps.runId(), ps);
                            case GroupMessage.Uploaded u -> sync.route(sender, u.runId(), u);
                            default -> throw new IllegalStateException("the codec let " + inner + " into a bundle");
                        }
                    }
                } finally {
                    release.run();
                }
                return; // run traffic changes nobody's view
            }
            case GroupMessage.Takeover t -> sync.onTakeover(sender, t);
            case GroupMessage.SyncDone done -> sync.onSyncDone(sender, done);
            case GroupMessage.SyncRequest r -> {
                broadcastState();
                if (leaderId() == self) {
                    sendOrderUnchecked(Message.LeaderCommand.Kind.SETTINGS, SettingsCodec.encode(settings));
                }
            }
            case GroupMessage.LeaderOrder lo -> {
                alert("refused an order (" + lo.kind() + ") from member " + letterOf(sender)
                        + " that did not travel as a leader command" + (sender == leaderId() ? "" : " and does not come from the leader"));
                return;
            }
        }
        emit(new SessionEvent.MembersChanged(buildView()));
    }

    private void onLeaderCommand(int sender, Message.LeaderCommand lc) throws SessionException {
        GroupChannel.Opened o;
        GroupMessage m;
        try {
            o = channel.open(FrameType.LEADER_COMMAND, sender, lc.payload());
            m = GroupMessageCodec.decode(o.plaintext());
        } catch (ChannelException | WireException e) {
            alert("refused a leader command from member " + sender + ": " + e.getMessage());
            return;
        }
        noteGap(o);
        if (!(m instanceof GroupMessage.LeaderOrder order) || order.kind() != lc.kind()) {
            alert("refused a leader command from member " + sender + " whose content does not match its kind " + lc.kind());
            return;
        }
        int leader = leaderId();
        IdentityPublicKeys key = roster.get(sender);
        if (sender != leader || key == null) {
            alert("refused an order (" + order.kind() + ") from member " + letterOf(sender) + ", who does not lead the session");
            return;
        }
        if (!LeaderSignature.verify(key, order.signature(), sessionId, o.epoch(), sender, o.sequence(), order.kind(), order.body())) {
            alert("refused an order (" + order.kind() + ") whose signature is not the leader's");
            return;
        }
        switch (order.kind()) {
            case SETTINGS -> {
                try {
                    settings = SettingsCodec.decode(order.body());
                } catch (WireException e) {
                    alert("refused settings from the leader: " + e.getMessage());
                    return;
                }
                emit(new SessionEvent.SettingsChanged(settings));
            }
            case START_INVENTORY -> {
                if (order.body().length != 8) {
                    alert("refused a Data Inventory order with a malformed body");
                    return;
                }
                run = RunState.INVENTORY;
                sync.reset();
                inventory.begin(java.nio.ByteBuffer.wrap(order.body()).getLong());
            }
            case START_SYNCHRONIZATION -> {
                PlanChoice.Order po = PlanChoice.parseOrder(order.body());
                if (po == null) {
                    alert("refused a Data Synchronization order with a malformed body");
                    return;
                }
                sync.onOrder(po);
            }
            case RESTART -> {
                run = RunState.IDLE;
                restarts++;
                sync.reset();
                inventory.reset();
            }
        }
        emit(new SessionEvent.OrderCarriedOut(order.kind(), sender));
        emit(new SessionEvent.MembersChanged(buildView()));
    }

    private void setStatusQuietly(String status) {
        try {
            link.send(new Message.SetStatus(status));
        } catch (RelayException e) {
            // a status label is cosmetic
        }
    }

    private void noteGap(GroupChannel.Opened o) {
        if (o.missed() > 0) {
            alert(o.missed() + " frame(s) from member " + letterOf(o.sender()) + " never arrived (dropped by the relay?) before frame "
                    + o.sequence() + " of key epoch " + o.epoch());
        }
    }

    private void onRekey(int sender, byte[] payload) throws SessionException {
        Rekey.Parsed p;
        try {
            p = Rekey.parse(payload);
        } catch (WireException e) {
            alert("refused a key rotation from member " + sender + ": " + e.getMessage());
            return;
        }
        if (p.issuer() != sender) {
            alert("refused a key rotation that claims member " + p.issuer() + " but came from member " + sender);
            return;
        }
        int leader = leaderId();
        IdentityPublicKeys issuerKeys = roster.get(sender);
        if (issuerKeys == null || (leader != 0 && leader != sender)) {
            alert("refused a key rotation from member " + letterOf(sender) + ", who does not lead the session");
            return;
        }
        if (p.epoch() <= channel.epoch()) {
            alert("refused a key rotation to epoch " + p.epoch() + ": already at epoch " + channel.epoch() + " (replayed?)");
            return;
        }
        try (SecretBytes key = Rekey.unwrap(sessionId, p, issuerKeys, self, identity)) {
            channel.install(p.epoch(), key, false);
        } catch (ChannelException e) {
            alert("refused a key rotation from member " + letterOf(sender) + ": " + e.getMessage());
            return;
        }
        Set<Integer> keyed = new LinkedHashSet<>();
        keyed.add(sender);
        keyed.addAll(p.wraps().keySet());
        keyedMembers = keyed;
        emit(new SessionEvent.KeyRotated(p.epoch()));
        broadcastState();
    }

    /**
     * The leader rotates the group key whenever the authenticated, relay-listed membership differs
     * from the set that holds the current key. A state function, so concurrent joins and leaves
     * converge: each call compares, and rotates at most once.
     */
    private void reconcileKeys() throws SessionException {
        rotateIfMembershipChanged();
        sync.maybeHandOver();
    }

    private void rotateIfMembershipChanged() throws SessionException {
        if (phase != Phase.ACTIVE || leaderId() != self) {
            return;
        }
        Set<Integer> current = new LinkedHashSet<>();
        for (MemberView m : relayMembers) {
            if (roster.containsKey(m.memberId())) {
                current.add(m.memberId());
            }
        }
        current.add(self);
        if (current.equals(keyedMembers)) {
            return;
        }
        long next = channel.epoch() + 1;
        try (SecretBytes key = SecretBytes.random(options.random(), 32)) {
            if (current.size() > 1) {
                Map<Integer, IdentityPublicKeys> to = new LinkedHashMap<>();
                for (int id : current) {
                    if (id != self) {
                        to.put(id, roster.get(id));
                    }
                }
                byte[] msg;
                try {
                    msg = Rekey.build(sessionId, next, self, identity, key, to, options.random());
                } catch (InvalidKeyException e) {
                    alert("cannot rotate the group key: a member's identity key is invalid (" + e.getMessage() + ")");
                    return;
                }
                send(new Message.Data(List.of(), msg));
                lastRotationRecipients = Set.copyOf(to.keySet());
            }
            channel.install(next, key, false);
        }
        keyedMembers = current;
        emit(new SessionEvent.KeyRotated(next));
        broadcastState();
        if (current.size() > 1) {
            sendOrderUnchecked(Message.LeaderCommand.Kind.SETTINGS, SettingsCodec.encode(settings));
        }
    }

    // ------------------------------------------------------------------ resume / end

    private void reconnect() {
        emit(new SessionEvent.ConnectionLost());
        long deadline = System.nanoTime() + options.resumeWindow().toNanos();
        byte[] token;
        synchronized (lock) {
            token = resumeToken;
        }
        while (phase == Phase.ACTIVE && System.nanoTime() < deadline) {
            RelayLink fresh = null;
            try {
                fresh = options.connector().connect();
                fresh.resume(sessionId, self, token);
                List<Inbound> early = new ArrayList<>();
                Joining.await(fresh, options.timeout(), early, Message.Welcome.class, "resuming");
                synchronized (lock) {
                    if (!switchTo(fresh)) {
                        throw new RelayException("the new connection closed while frames were re-sent");
                    }
                    resumeToken = fresh.resumeToken();
                    for (Inbound in : early) {
                        handleSafely(in);
                    }
                    // frames the relay pushed into the dead socket are gone: ask everybody to repeat their state
                    try {
                        broadcast(new GroupMessage.SyncRequest());
                    } catch (SessionException e) {
                        // the next loss of connection will be handled by the reader again
                    }
                }
                emit(new SessionEvent.Resumed());
                return;
            } catch (SessionException e) {
                if (fresh != null) {
                    fresh.close();
                }
                if (e.getMessage() != null && e.getMessage().contains("RESUME_FAILED")) {
                    break;
                }
                sleep(250);
            } catch (RelayException | RuntimeException e) {
                if (fresh != null) {
                    fresh.close();
                }
                sleep(250);
            }
        }
        synchronized (lock) {
            end("the connection to the relay was lost and this member's place could not be taken back");
        }
    }

    private void end(String reason) {
        if (phase == Phase.OUT) {
            return;
        }
        phase = Phase.OUT;
        endReason = reason;
        emit(new SessionEvent.Ended(reason));
    }

    private void shutdown(String reason) {
        synchronized (lock) {
            if (endReason == null) {
                endReason = reason;
                emit(new SessionEvent.Ended(reason));
            }
            phase = Phase.OUT;
        }
        link.close();
        if (reader != null && reader != Thread.currentThread()) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        worker.shutdownNow();
        synchronized (lock) {
            sync.close();
            channel.close();
            password.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ what the run classes use

    /** The client as the run classes see it (see {@link SessionCore}). */
    private final class Core implements SessionCore {
        @Override
        public Object lock() {
            return lock;
        }

        @Override
        public int self() {
            return self;
        }

        @Override
        public SessionId sessionId() {
            return sessionId;
        }

        @Override
        public SessionOptions options() {
            return options;
        }

        @Override
        public IdentityPublicKeys identityKeys() {
            return identity.publicKeys();
        }

        @Override
        public RelayLink link() {
            return link;
        }

        @Override
        public GroupChannel channel() {
            return channel;
        }

        @Override
        public boolean active() {
            return phase == Phase.ACTIVE;
        }

        @Override
        public List<MemberView> relayMembers() {
            return relayMembers;
        }

        @Override
        public Map<Integer, IdentityPublicKeys> roster() {
            return roster;
        }

        @Override
        public Map<Integer, List<SourceEntry>> sources() {
            return sources;
        }

        @Override
        public SyncSettings settings() {
            return settings;
        }

        @Override
        public int leaderId() {
            return SessionClient.this.leaderId();
        }

        @Override
        public char letterOf(int memberId) {
            return SessionClient.this.letterOf(memberId);
        }

        @Override
        public RunState run() {
            return run;
        }

        @Override
        public void run(RunState state) {
            run = state;
        }

        @Override
        public void broadcast(GroupMessage m) throws SessionException {
            SessionClient.this.broadcast(m);
        }

        @Override
        public void alert(String message) {
            SessionClient.this.alert(message);
        }

        @Override
        public void emit(SessionEvent event) {
            SessionClient.this.emit(event);
        }

        @Override
        public void setStatusQuietly(String status) {
            SessionClient.this.setStatusQuietly(status);
        }

        @Override
        public void submit(Runnable task) {
            worker.submit(task);
        }
    }

    // ------------------------------------------------------------------ views

    /** The leader: the first member of the relay's list whose identity this member authenticated (0 if none known). */
    private int leaderId() {
        for (MemberView m : relayMembers) {
            if (roster.containsKey(m.memberId())) {
                return m.memberId();
            }
        }
        return relayMembers.isEmpty() && roster.size() == 1 && roster.containsKey(self) ? self : 0;
    }

    private char letterOf(int memberId) {
        for (MemberView m : relayMembers) {
            if (m.memberId() == memberId) {
                return m.letter();
            }
        }
        return '?';
    }

    private SessionView buildView() {
        List<MemberInfo> members = new ArrayList<>();
        for (MemberView m : relayMembers) {
            IdentityPublicKeys k = roster.get(m.memberId());
            members.add(new MemberInfo(m.memberId(), m.letter(), m.profile().machineName(), m.profile().emailLabel(), m.publicIp(),
                    m.status(), m.online(), m.memberId() == self, k == null ? null : k.fingerprint().text(),
                    sources.getOrDefault(m.memberId(), List.of())));
        }
        return new SessionView(sessionId, self, channel.epoch(), members, settings, run, restarts);
    }

    private void alert(String message) {
        alerts.add(message);
        emit(new SessionEvent.SecurityAlert(message));
    }

    private void emit(SessionEvent e) {
        try {
            options.listener().accept(e);
        } catch (RuntimeException ex) {
            // a listener's failure must not stop the session
        }
    }

    @Override
    public String toString() {
        return "SessionClient[" + sessionId + ", member " + self + ", " + phase + "]";
    }
}
