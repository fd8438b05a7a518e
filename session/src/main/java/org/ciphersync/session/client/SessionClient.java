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
import org.ciphersync.core.compare.Comparer;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.fs.LocalFileTree;
import org.ciphersync.core.inventory.DataSource;
import org.ciphersync.core.inventory.Inventory;
import org.ciphersync.core.inventory.InventoryCache;
import org.ciphersync.core.inventory.InventoryListener;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.crypto.AuthenticationFailedException;
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
import org.ciphersync.relay.protocol.message.ErrorCode;
import org.ciphersync.relay.protocol.message.MemberView;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.JoinRefusedException;
import org.ciphersync.session.RunInProgressException;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.channel.ChannelException;
import org.ciphersync.session.channel.GroupChannel;
import org.ciphersync.session.channel.JoinBundle;
import org.ciphersync.session.channel.LeaderSignature;
import org.ciphersync.session.channel.Rekey;
import org.ciphersync.session.inventory.InventorySeal;
import org.ciphersync.session.inventory.SharedNode;
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
    /** Label of the PAKE-keyed join channel. */
    static final String JOIN_CHANNEL = "ciphersync/v1/session/join";
    /** Failed PAKE runs this member sponsors before it refuses candidates for a while (defence in depth). */
    static final int SPONSOR_FAILURES_BEFORE_PAUSE = 10;
    private static final Duration POLL = Duration.ofMillis(50);

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
    private long runId;
    private final Map<Integer, List<SharedNode>> inventories = new HashMap<>();
    private Comparison comparison;
    private byte[] comparisonDigest;
    /** Every member's shared nodes in comparison order (members in join order). */
    private List<SharedNode> compared = List.of();
    private String inventoryProblem;
    private final Map<String, java.nio.file.Path> nodeRoots = new HashMap<>();
    private SyncRun syncRun;
    private PlanChoice.Order pendingSync;
    private final List<Map.Entry<Integer, GroupMessage>> earlyRunMessages = new ArrayList<>();
    private final Map<Integer, MemberSyncResult> syncResults = new LinkedHashMap<>();
    private String syncProblem;
    // the synchronization run (S11): who takes part, who vanished, who took over whom
    private org.ciphersync.core.plan.Plan runPlan;
    private Map<String, org.ciphersync.core.state.NodeState> runBases = Map.of();
    private String nodeSetId;
    private final LinkedHashMap<String, Integer> runOwners = new LinkedHashMap<>();
    private final Set<Integer> participants = new LinkedHashSet<>();
    private final Set<Integer> replaced = new LinkedHashSet<>();
    private final Map<Integer, String> departed = new HashMap<>();
    private final Map<Integer, IdentityPublicKeys> runIdentities = new HashMap<>();
    private final Map<Integer, List<SourceEntry>> runSources = new HashMap<>();
    private final Map<Integer, Character> runLetters = new HashMap<>();
    private GroupMessage.SignedOrder syncOrder;
    private List<org.ciphersync.core.apply.ItemResult> myResults = List.of();

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
    }

    // ------------------------------------------------------------------ create / join

    /**
     * Creates a session on the relay: the relay makes the Session ID, this client makes the Session
     * Password and the first group key (neither ever leaves this process unencrypted).
     */
    public static SessionClient create(SessionOptions options) throws SessionException {
        RelayLink link = connect(options);
        try {
            link.send(new Message.CreateSession(options.profile().memberProfile()));
            List<Inbound> early = new ArrayList<>();
            Inbound w = awaitWelcome(link, options.timeout(), early, "creating the session");
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
            try (bundle) {
                if (welcome.memberId() != bundle.memberId()) {
                    throw new SessionException("the relay admitted this client as member " + welcome.memberId()
                            + " but the sponsor admitted member " + bundle.memberId() + "; try again");
                }
                SessionClient c = new SessionClient(options, link, sessionId, welcome.memberId(), Password.copyOf(password.expose()));
                c.channel.install(bundle.epoch(), bundle.groupKey(), true);
                c.roster.putAll(bundle.roster());
                c.keyedMembers = new LinkedHashSet<>(bundle.roster().keySet());
                c.settings = bundle.settings();
                c.stash.addAll(early);
                c.startReader();
                synchronized (c.lock) {
                    c.broadcastState();
                }
                return c;
            }
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

    private static RelayLink connect(SessionOptions options) throws SessionException {
        try {
            return options.connector().connect();
        } catch (RelayException e) {
            throw new SessionException(e.getMessage(), e);
        }
    }

    private static Inbound awaitWelcome(RelayLink link, Duration timeout, List<Inbound> early, String doing) throws SessionException {
        return await(link, timeout, early, Message.Welcome.class, doing);
    }

    private static Inbound awaitCandidateMessage(RelayLink link, Duration timeout, List<Inbound> early) throws SessionException {
        return await(link, timeout, early, Message.CandidateMessage.class, "joining");
    }

    /** Waits for one message type while joining, turning refusals into exceptions and keeping other frames for later. */
    private static Inbound await(RelayLink link, Duration timeout, List<Inbound> early, Class<? extends Message> type, String doing)
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

    private static SessionException refusal(Message.Error err, String doing) {
        Duration retry = Duration.ofMillis(err.retryAfterMillis());
        return switch (err.code()) {
            case UNKNOWN_SESSION -> new JoinRefusedException("no such session on this relay: check the session ID (" + err.message() + ")", retry);
            case SESSION_FULL -> new JoinRefusedException("the session is full (5 members): " + err.message(), retry);
            case LOCKED_OUT, BUSY, NO_MEMBER_ONLINE, SPONSOR_GONE, RATE_LIMITED ->
                    new JoinRefusedException(err.message(), retry);
            default -> new SessionException("the relay refused " + doing + ": " + err.message() + " (" + err.code() + ")");
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
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
            beginInventory(id);
        }
    }

    /** The comparison of the last Data Inventory, once every member's inventory arrived. */
    public java.util.Optional<Comparison> comparison() {
        synchronized (lock) {
            return java.util.Optional.ofNullable(comparison);
        }
    }

    /** Why the last Data Inventory could not complete here, or null. */
    public String inventoryProblem() {
        synchronized (lock) {
            return inventoryProblem;
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
     * Starts the Data Synchronization (S10, S11) with a preset or a rules file. Leader only, after the
     * comparison is ready. The leader computes the plan first: a rules file that names unknown nodes or
     * a plan the consistency checker refuses fails here ("the plan was refused: …") and nothing is sent.
     */
    public void startSynchronization(PlanChoice choice) throws SessionException {
        java.util.Objects.requireNonNull(choice, "choice == null");
        synchronized (lock) {
            if (comparison == null || comparisonDigest == null) {
                throw new SessionException("run the Data Inventory first: there is no comparison to synchronize"
                        + (inventoryProblem == null ? "" : " (" + inventoryProblem + ")"));
            }
            if (leaderId() == self) {
                choice.plan(comparison, settings, basesOf(compared)); // refuse before ordering anything
            }
            byte[] body = choice.orderBody(runId, comparisonDigest);
            syncOrder = sendOrder(Message.LeaderCommand.Kind.START_SYNCHRONIZATION, body, "start the Data Synchronization");
            run = RunState.SYNCHRONIZATION;
            beginSync(runId, choice, false);
        }
    }

    /** Each member's result of the last synchronization run, as they report it. */
    public List<MemberSyncResult> syncResults() {
        synchronized (lock) {
            return List.copyOf(syncResults.values());
        }
    }

    /**
     * Whether every member of the last synchronization run reported its result, or left the session
     * (then its items count as failed).
     */
    public boolean syncComplete() {
        synchronized (lock) {
            return runComplete();
        }
    }

    /** The failed items of this member in the last synchronization run, each with its reason. */
    public List<GroupMessage.ItemFailure> syncFailures() {
        synchronized (lock) {
            MemberSyncResult r = syncResults.get(self);
            return r == null ? List.of() : r.failures();
        }
    }

    /** Why the last synchronization could not run here, or null. */
    public String syncProblem() {
        synchronized (lock) {
            return syncProblem;
        }
    }

    /** Restarts the session (S5): resets inventory, comparison and plan; keeps members and sources. Leader only. */
    public void restart() throws SessionException {
        synchronized (lock) {
            sendOrder(Message.LeaderCommand.Kind.RESTART, new byte[0], "restart the session");
            run = RunState.IDLE;
            restarts++;
            resetInventory();
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
        try {
            link.send(m);
        } catch (RelayException e) {
            throw new SessionException("cannot reach the relay: " + e.getMessage() + " (the client keeps trying to reconnect)", e);
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
                in = l.next(POLL);
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
        finishSyncIfComplete();
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
        memberDepartedDuringRun(memberId, byChoice);
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
        send(new Message.CandidateMessage(List.of(cid), concat(r1, r2)));
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
                    sealed = new SecureChannel(result.sendKey(), result.receiveKey(), JOIN_CHANNEL).seal(bundle.encode());
                }
                send(new Message.CandidateMessage(List.of(sender), concat(r3, sealed)));
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
            case GroupMessage.InventoryReady ir -> onInventoryReady(sender, ir);
            case GroupMessage.InventoryFailed fail -> {
                if (fail.runId() == runId && runId != 0 && comparison == null) {
                    inventoryProblem = "member " + letterOf(sender) + ": " + fail.message();
                    emit(new SessionEvent.InventoryFailed(inventoryProblem));
                }
            }
            case GroupMessage.Manifest mf -> routeToRun(sender, mf.runId(), mf);
            case GroupMessage.Need nd -> routeToRun(sender, nd.runId(), nd);
            case GroupMessage.Parts ps -> routeToRun(sender, ps.runId(), ps);
            case GroupMessage.Ready rd -> routeToRun(sender, rd.runId(), rd);
            case GroupMessage.Takeover t -> onTakeover(sender, t);
            case GroupMessage.SyncDone done -> {
                if (done.runId() == runId && runId != 0 && !replaced.contains(sender)) {
                    syncResults.put(sender, new MemberSyncResult(sender, done.succeeded(), done.failed(), done.failures(), done.complete(), null));
                    finishSyncIfComplete();
                }
            }
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
                beginInventory(java.nio.ByteBuffer.wrap(order.body()).getLong());
            }
            case START_SYNCHRONIZATION -> {
                PlanChoice.Order po = PlanChoice.parseOrder(order.body());
                if (po == null) {
                    alert("refused a Data Synchronization order with a malformed body");
                    return;
                }
                long id = po.runId();
                run = RunState.SYNCHRONIZATION;
                if (id == runId && comparison == null && inventoryProblem == null) {
                    pendingSync = po; // this member's comparison is still being computed: start when it is
                } else if (id != runId || comparisonDigest == null || !java.security.MessageDigest.isEqual(comparisonDigest, po.digest())) {
                    syncProblem = "the leader's synchronization order does not match this member's comparison "
                            + "(an inventory is missing or differs); ask the leader to restart";
                    sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
                } else {
                    beginSync(id, po.choice(), false);
                }
            }
            case RESTART -> {
                run = RunState.IDLE;
                restarts++;
                resetInventory();
            }
        }
        emit(new SessionEvent.OrderCarriedOut(order.kind(), sender));
        emit(new SessionEvent.MembersChanged(buildView()));
    }

    // ------------------------------------------------------------------ data inventory (S8) and comparison (S9)

    private void resetInventory() {
        runId = 0;
        inventories.clear();
        comparison = null;
        comparisonDigest = null;
        compared = List.of();
        nodeSetId = null;
        inventoryProblem = null;
        if (syncRun != null) {
            syncRun.close();
        }
        syncRun = null;
        pendingSync = null;
        earlyRunMessages.clear();
        syncResults.clear();
        syncProblem = null;
        runPlan = null;
        runBases = Map.of();
        runOwners.clear();
        participants.clear();
        replaced.clear();
        departed.clear();
        runIdentities.clear();
        runSources.clear();
        runLetters.clear();
        syncOrder = null;
        myResults = List.of();
    }

    /** Under the lock: starts this member's part of run {@code id} on the worker thread. */
    private void beginInventory(long id) {
        resetInventory();
        runId = id;
        char letter = letterOf(self);
        List<SourceEntry> mine = List.copyOf(sources.get(self));
        SyncSettings s = settings;
        String expectedSet = expectedNodeSet();
        worker.submit(() -> scanAndShare(id, letter, mine, s, expectedSet));
    }

    /** How a node is described across sessions: the owner's identity fingerprint, the source's kind and path. */
    private static String describeNode(IdentityPublicKeys owner, SourceEntry source) {
        return owner.fingerprint().text() + " " + source.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + source.path();
    }

    /**
     * Under the lock: the node set id this run will have if every member shares the sources this member
     * knows of (then each member's stored two-way state for that set is loaded); null when unknown.
     */
    private String expectedNodeSet() {
        List<String> descriptions = new ArrayList<>();
        for (MemberView m : relayMembers) {
            IdentityPublicKeys k = roster.get(m.memberId());
            if (k == null) {
                return null;
            }
            for (SourceEntry e : sources.getOrDefault(m.memberId(), List.of())) {
                descriptions.add(describeNode(k, e));
            }
        }
        return descriptions.isEmpty() ? null : org.ciphersync.core.state.NodeSetId.of(descriptions);
    }

    private void scanAndShare(long id, char letter, List<SourceEntry> mine, SyncSettings s, String expectedSet) {
        List<SharedNode> nodes = new ArrayList<>();
        try {
            setStatusQuietly("inventory");
            List<DataSource> ds = new ArrayList<>();
            Map<String, java.nio.file.Path> roots = new LinkedHashMap<>();
            for (int i = 0; i < mine.size(); i++) {
                SourceEntry e = mine.get(i);
                String nodeId = String.valueOf(letter) + (i + 1);
                java.nio.file.Path p = java.nio.file.Path.of(e.path());
                roots.put(nodeId, e.kind() == SourceEntry.Kind.DIRECTORY ? p : p.toAbsolutePath().getParent());
                ds.add(e.kind() == SourceEntry.Kind.DIRECTORY
                        ? DataSource.directory(nodeId, new LocalFileTree(p))
                        : new DataSource(nodeId, new LocalFileTree(p.toAbsolutePath().getParent()), RelPath.of(p.getFileName().toString())));
            }
            synchronized (lock) {
                nodeRoots.putAll(roots);
            }
            List<NodeInventory> scanned = ds.isEmpty() ? List.of() : Inventory.scan(ds, s, InventoryCache.NONE, new InventoryListener() { }).nodes();
            for (int i = 0; i < scanned.size(); i++) {
                NodeInventory n = scanned.get(i);
                org.ciphersync.core.state.NodeState base = null;
                if (expectedSet != null) {
                    try {
                        base = org.ciphersync.core.state.StateStore.load(new LocalFileTree(roots.get(n.nodeId())), expectedSet).orElse(null);
                    } catch (java.io.IOException e) {
                        synchronized (lock) {
                            alert(e.getMessage()); // a damaged state file: this run plans as if there were none
                        }
                    }
                }
                nodes.add(new SharedNode(n, describeNode(identity.publicKeys(), mine.get(i)), base));
            }
        } catch (java.io.IOException | RuntimeException e) {
            inventoryFailed(id, "the Data Inventory of this machine failed: " + e.getMessage()
                    + " (check that every source exists and is readable, then ask the leader to restart)");
            return;
        }
        long epoch;
        List<Integer> others = new ArrayList<>();
        SecretBytes key;
        synchronized (lock) {
            if (id != runId || phase != Phase.ACTIVE) {
                return;
            }
            inventories.put(self, nodes);
            for (MemberView m : relayMembers) {
                if (m.memberId() != self) {
                    others.add(m.memberId());
                }
            }
            epoch = channel.epoch();
            key = channel.currentKey();
        }
        String partId = "";
        try (key) {
            if (!nodes.isEmpty() && !others.isEmpty()) {
                partId = "inv-" + Long.toHexString(id) + "-" + self;
                link.uploadPart(partId, InventorySeal.seal(sessionId, key, epoch, id, self, nodes), others);
            }
        } catch (RelayException e) {
            inventoryFailed(id, "could not share this machine's inventory through the relay: " + e.getMessage());
            return;
        }
        synchronized (lock) {
            try {
                broadcast(new GroupMessage.InventoryReady(id, epoch, partId));
            } catch (SessionException e) {
                inventoryProblem = e.getMessage();
            }
            maybeCompare();
        }
        setStatusQuietly("inventory done");
    }

    private void onInventoryReady(int sender, GroupMessage.InventoryReady ir) {
        if (ir.runId() != runId || runId == 0) {
            return; // an older run, or a run this member was not part of
        }
        if (ir.partId().isEmpty()) {
            inventories.put(sender, List.of());
            maybeCompare();
            return;
        }
        java.util.Optional<SecretBytes> key = channel.keyFor(ir.epoch());
        if (key.isEmpty()) {
            inventoryFailed(ir.runId(), "the inventory of member " + letterOf(sender) + " is sealed under key epoch " + ir.epoch()
                    + " which this member no longer holds; ask the leader to restart");
            return;
        }
        worker.submit(() -> {
            try (SecretBytes k = key.get()) {
                List<SharedNode> nodes = InventorySeal.open(sessionId, k, ir.epoch(), ir.runId(), sender, link.downloadPart(ir.partId()));
                synchronized (lock) {
                    if (ir.runId() != runId) {
                        return;
                    }
                    Set<String> seen = new java.util.HashSet<>();
                    inventories.forEach((m, ns) -> ns.forEach(n -> seen.add(n.nodeId())));
                    for (SharedNode n : nodes) {
                        if (!seen.add(n.nodeId())) {
                            alert("member " + letterOf(sender) + " sent an inventory for node " + n.nodeId() + " which another member owns; refused");
                            return;
                        }
                    }
                    inventories.put(sender, nodes);
                    maybeCompare();
                }
            } catch (RelayException | WireException e) {
                synchronized (lock) {
                    alert("refused the inventory of member " + letterOf(sender) + ": " + e.getMessage());
                }
                inventoryFailed(ir.runId(), "the inventory of member " + letterOf(sender) + " could not be used: " + e.getMessage());
            }
        });
    }

    /** Under the lock: computes the comparison once every current member's inventory is here. */
    private void maybeCompare() {
        if (comparison != null || runId == 0) {
            return;
        }
        List<SharedNode> all = new ArrayList<>();
        for (MemberView m : relayMembers) {
            List<SharedNode> ns = inventories.get(m.memberId());
            if (ns == null) {
                return;
            }
            all.addAll(ns);
        }
        if (all.size() < Comparer.MIN_NODES || all.size() > Comparer.MAX_NODES) {
            inventoryProblem = "the comparison needs " + Comparer.MIN_NODES + " to " + Comparer.MAX_NODES
                    + " data sources in all; the members selected " + all.size();
            emit(new SessionEvent.InventoryFailed(inventoryProblem));
            return;
        }
        adoptComparison(all);
        emit(new SessionEvent.ComparisonReady(comparison));
        PlanChoice.Order pending = pendingSync;
        pendingSync = null;
        if (pending != null) {
            if (java.security.MessageDigest.isEqual(comparisonDigest, pending.digest())) {
                beginSync(runId, pending.choice(), false);
            } else {
                syncProblem = "the leader's synchronization order does not match this member's comparison; ask the leader to restart";
                sendSyncDone(runId, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
            }
        }
    }

    /** Under the lock: the comparison of {@code all} (in this order), its digest and node set. */
    private void adoptComparison(List<SharedNode> all) {
        compared = List.copyOf(all);
        comparison = Comparer.compare(all.stream().map(SharedNode::inventory).toList(), settings);
        comparisonDigest = comparisonDigest(all, settings);
        nodeSetId = org.ciphersync.core.state.NodeSetId.of(all.stream().map(SharedNode::description).toList());
    }

    /** SHA-256 over every shared node (inventory, description, stored state) and the settings: what the leader's order binds. */
    private static byte[] comparisonDigest(List<SharedNode> all, SyncSettings settings) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (SharedNode n : all) {
                md.update(org.ciphersync.session.inventory.InventoryCodec.encode(List.of(n)));
            }
            md.update(SettingsCodec.encode(settings));
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * The stored two-way states that belong to this run's node set, by node (a state a member loaded for
     * another set — its view of the members differed — is left out: no state, no deletions).
     */
    private Map<String, org.ciphersync.core.state.NodeState> basesOf(List<SharedNode> all) {
        String set = org.ciphersync.core.state.NodeSetId.of(all.stream().map(SharedNode::description).toList());
        Map<String, org.ciphersync.core.state.NodeState> out = new HashMap<>();
        for (SharedNode n : all) {
            if (n.base() != null && n.base().nodeSetId().equals(set)) {
                out.put(n.nodeId(), n.base());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ data synchronization (S10, S11)

    /**
     * Under the lock: computes the plan (the same on every member) and runs this member's part on the
     * worker. {@code resumed}: this member takes over the part of a vanished member with its identity.
     */
    private void beginSync(long id, PlanChoice choice, boolean resumed) {
        org.ciphersync.core.plan.Plan plan;
        Map<String, org.ciphersync.core.state.NodeState> bases = basesOf(compared);
        try {
            plan = choice.plan(comparison, settings, bases);
        } catch (org.ciphersync.session.PlanRefusedException e) {
            syncProblem = e.getMessage();
            sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
            return;
        }
        runPlan = plan;
        runBases = bases;
        if (runOwners.isEmpty()) {
            inventories.forEach((m, ns) -> ns.forEach(n -> runOwners.put(n.nodeId(), m)));
        }
        participants.addAll(runOwners.values());
        for (int m : participants) {
            IdentityPublicKeys k = roster.get(m);
            if (k != null) {
                runIdentities.putIfAbsent(m, k);
            }
            runSources.putIfAbsent(m, sources.getOrDefault(m, List.of()));
            if (letterOf(m) != '?') {
                runLetters.putIfAbsent(m, letterOf(m));
            }
        }
        List<NodeInventory> mine = new ArrayList<>();
        for (SharedNode n : compared) {
            if (Integer.valueOf(self).equals(runOwners.get(n.nodeId()))) {
                mine.add(n.inventory());
            }
        }
        SyncRun sr = new SyncRun(syncContext, id, plan, runOwners, Map.copyOf(nodeRoots), mine, options.timeout().multipliedBy(6), resumed);
        syncRun = sr;
        for (Map.Entry<Integer, GroupMessage> early : earlyRunMessages) {
            sr.onMessage(early.getKey(), early.getValue());
        }
        earlyRunMessages.clear();
        worker.submit(() -> {
            setStatusQuietly("synchronizing");
            SyncRun.Outcome o = sr.execute();
            synchronized (lock) {
                if (syncRun != sr) {
                    return; // restarted meanwhile
                }
                if (o.problem() != null) {
                    syncProblem = o.problem();
                }
                myResults = o.results();
            }
            sendSyncDone(id, o);
            setStatusQuietly("sync done");
        });
    }

    /** What a synchronization run may use of this client. */
    private final SyncRun.Context syncContext = new SyncRun.Context() {
        @Override
        public int self() {
            return self;
        }

        @Override
        public SessionId session() {
            return sessionId;
        }

        @Override
        public RelayLink link() {
            return link;
        }

        @Override
        public long epoch() {
            synchronized (lock) {
                return channel.epoch();
            }
        }

        @Override
        public SecretBytes currentKey() {
            synchronized (lock) {
                return channel.currentKey();
            }
        }

        @Override
        public java.util.Optional<SecretBytes> keyFor(long epoch) {
            synchronized (lock) {
                return channel.keyFor(epoch);
            }
        }

        @Override
        public void broadcast(GroupMessage m) throws SessionException {
            synchronized (lock) {
                SessionClient.this.broadcast(m);
            }
        }

        @Override
        public boolean reachable(int memberId) {
            synchronized (lock) {
                return !replaced.contains(memberId) && !departed.containsKey(memberId)
                        && relayMembers.stream().anyMatch(m -> m.memberId() == memberId && m.online());
            }
        }

        @Override
        public String gone(int memberId) {
            synchronized (lock) {
                return departed.get(memberId);
            }
        }

        @Override
        public String describe(int memberId) {
            synchronized (lock) {
                return "member " + runLetter(memberId);
            }
        }

        @Override
        public void alert(String message) {
            synchronized (lock) {
                SessionClient.this.alert(message);
            }
        }

        @Override
        public boolean active() {
            return phase == Phase.ACTIVE;
        }

        @Override
        public boolean finished(int memberId) {
            synchronized (lock) {
                return syncResults.containsKey(memberId);
            }
        }

        @Override
        public Set<org.ciphersync.core.plan.PlannedAction> approve(List<org.ciphersync.core.plan.PlannedAction> destructive) {
            try {
                return options.approve().apply(destructive);
            } catch (RuntimeException e) {
                return Set.of();
            }
        }

        @Override
        public void received(String node, String path, long fetched, long reused) {
            emit(new SessionEvent.ItemReceived(node, path, fetched, reused));
        }

        @Override
        public java.nio.file.Path transfers() {
            return options.transfers();
        }
    };

    private void routeToRun(int sender, long id, GroupMessage m) {
        if (id != runId || runId == 0) {
            return;
        }
        SyncRun sr = syncRun;
        if (sr != null) {
            sr.onMessage(sender, m);
        } else if (earlyRunMessages.size() < 100_000) {
            earlyRunMessages.add(java.util.Map.entry(sender, m)); // this member's plan is not ready yet
        }
    }

    /** Reports this member's result to everybody (the failures that fit in one message, with their reasons). */
    private void sendSyncDone(long id, SyncRun.Outcome o) {
        synchronized (lock) {
            List<GroupMessage.ItemFailure> listed = new ArrayList<>();
            int bytes = 0;
            for (GroupMessage.ItemFailure f : o.failures()) {
                bytes += f.node().length() + f.path().length() * 3 + f.reason().length() * 3 + 6;
                if (listed.size() == GroupMessage.SyncDone.MAX_FAILURES || bytes > 256 * 1024) {
                    break;
                }
                listed.add(f);
            }
            boolean complete = listed.size() == o.failures().size();
            syncResults.put(self, new MemberSyncResult(self, o.succeeded(), o.failed(), o.failures(), complete, null));
            try {
                broadcast(new GroupMessage.SyncDone(id, o.succeeded(), o.failed(), listed, complete));
            } catch (SessionException e) {
                syncProblem = e.getMessage();
            }
            finishSyncIfComplete();
        }
    }

    /** Under the lock: every member of the run reported its result or left the session. */
    private boolean runComplete() {
        if (run != RunState.SYNCHRONIZATION && !syncResults.isEmpty()) {
            return true; // finished (the state went back to idle)
        }
        if (participants.isEmpty()) {
            return !relayMembers.isEmpty() && relayMembers.stream().allMatch(m -> syncResults.containsKey(m.memberId()));
        }
        for (int m : participants) {
            if (!replaced.contains(m) && !syncResults.containsKey(m)) {
                return false;
            }
        }
        return true;
    }

    /** Under the lock: the run is over when every member of it reported (or left); then this member saves its nodes' state. */
    private void finishSyncIfComplete() {
        if (run == RunState.SYNCHRONIZATION && !syncResults.isEmpty() && runComplete()) {
            run = RunState.IDLE;
            saveState();
            if (syncRun != null) {
                syncRun.close();
            }
            emit(new SessionEvent.SynchronizationFinished(List.copyOf(syncResults.values())));
        }
    }

    /**
     * Under the lock, during a run: a member of it left the session or lost its place. Everything it had
     * still to send fails (with this reason), and every item that targets it counts as failed.
     */
    private void memberDepartedDuringRun(int memberId, boolean byChoice) {
        if (run != RunState.SYNCHRONIZATION || !participants.contains(memberId) || replaced.contains(memberId)) {
            return;
        }
        String why = byChoice ? "left the session" : "lost its connection and its place in the session";
        departed.put(memberId, why);
        if (!syncResults.containsKey(memberId)) {
            int n = runPlan == null ? 0 : SyncRun.actionsTargeting(runPlan, runOwners, memberId);
            syncResults.put(memberId, new MemberSyncResult(memberId, 0, n, List.of(), n == 0, "member " + runLetter(memberId) + " " + why
                    + " during the synchronization; its " + n + " item(s) did not run"));
        }
        finishSyncIfComplete();
    }

    /**
     * Under the lock, when the run is over: the nodes' new last-synchronized state (as local sync keeps
     * it), saved on this member's own nodes. An item counts as synchronized only when no member reported
     * it failed; a member that left or listed only part of its failures fails all its items here.
     */
    private void saveState() {
        if (runPlan == null || nodeSetId == null || comparison == null) {
            return;
        }
        Map<String, Integer> owners = runOwners;
        List<org.ciphersync.core.apply.ItemResult> all = new ArrayList<>(myResults);
        for (MemberSyncResult r : syncResults.values()) {
            if (r.memberId() == self) {
                continue;
            }
            Set<String> failedHere = new java.util.HashSet<>();
            r.failures().forEach(f -> failedHere.add(f.node() + "\u0000" + f.path()));
            for (org.ciphersync.core.plan.PlannedAction a : runPlan.actions()) {
                Integer o = owners.get(a.targetNode());
                if (o != null && o == r.memberId() && (!r.complete() || failedHere.contains(a.targetNode() + "\u0000" + a.targetPath().value()))) {
                    all.add(new org.ciphersync.core.apply.ItemResult(a, org.ciphersync.core.apply.ItemResult.Outcome.FAILED,
                            "failed on member " + letterOf(r.memberId()), 0, null, null));
                }
            }
        }
        Map<String, org.ciphersync.core.state.NodeState> next = org.ciphersync.core.apply.StateAdvance.next(nodeSetId, comparison, settings,
                new org.ciphersync.core.apply.ApplyReport(all, 0, Duration.ZERO), runBases);
        for (Map.Entry<String, org.ciphersync.core.state.NodeState> e : next.entrySet()) {
            java.nio.file.Path root = nodeRoots.get(e.getKey());
            if (!Integer.valueOf(self).equals(owners.get(e.getKey())) || root == null || e.getValue().equals(runBases.get(e.getKey()))) {
                continue;
            }
            try {
                org.ciphersync.core.state.StateStore.save(new LocalFileTree(root), e.getValue());
            } catch (java.io.IOException | RuntimeException x) {
                alert("could not save the synchronization state of " + e.getKey() + " (" + x.getMessage()
                        + "); the next two-way run may report conflicts instead of updates, but loses nothing");
            }
        }
    }

    // ------------------------------------------------------------------ a member that died comes back (takeover)

    /**
     * Under the lock, on the leader after every membership change: a member that vanished during the
     * run (offline, or gone after losing its connection) and a new, authenticated member with the same
     * identity key is its restarted process: hand it the vanished member's part.
     */
    private void maybeHandOver() throws SessionException {
        if (phase != Phase.ACTIVE || leaderId() != self || run != RunState.SYNCHRONIZATION || syncRun == null || syncOrder == null) {
            return;
        }
        for (MemberView x : relayMembers) {
            IdentityPublicKeys k = roster.get(x.memberId());
            if (!x.online() || k == null || participants.contains(x.memberId())) {
                continue;
            }
            for (int old : participants) {
                boolean vanished = relayMembers.stream().anyMatch(m -> m.memberId() == old && !m.online())
                        || (departed.containsKey(old) && !departed.get(old).startsWith("left"));
                MemberSyncResult reported = syncResults.get(old);
                if (old != self && !replaced.contains(old) && vanished && k.equals(runIdentities.get(old))
                        && (reported == null || reported.departed() != null)) {
                    handOver(old, x.memberId());
                    return;
                }
            }
        }
    }

    /** Under the lock, leader: seals the run's inventories for {@code newMember} and announces the takeover. */
    private void handOver(int oldMember, int newMember) throws SessionException {
        String partId = "run-" + Long.toHexString(runId) + "-" + newMember;
        long epoch = channel.epoch();
        try (SecretBytes key = channel.currentKey()) {
            link.uploadPart(partId, InventorySeal.seal(sessionId, key, epoch, runId, newMember, compared), List.of(newMember));
        } catch (RelayException e) {
            alert("could not hand the run over to member " + letterOf(newMember) + ": " + e.getMessage());
            return;
        }
        applyTakeover(oldMember, newMember);
        List<GroupMessage.NodeOwner> owners = new ArrayList<>();
        for (String node : runOwners.keySet()) {
            owners.add(new GroupMessage.NodeOwner(node, runOwners.get(node)));
        }
        List<GroupMessage.Result> results = new ArrayList<>();
        for (MemberSyncResult r : syncResults.values()) {
            if (r.departed() == null && results.size() < 8) {
                results.add(new GroupMessage.Result(r.memberId(), r.succeeded(), r.failed()));
            }
        }
        broadcast(new GroupMessage.Takeover(runId, oldMember, newMember, syncOrder, epoch, partId, owners,
                runSources.getOrDefault(oldMember, List.of()), results));
    }

    /** Under the lock: {@code newMember} now owns {@code oldMember}'s nodes in this run. */
    private void applyTakeover(int oldMember, int newMember) {
        replaced.add(oldMember);
        participants.add(newMember);
        departed.remove(oldMember);
        MemberSyncResult r = syncResults.get(oldMember);
        if (r != null && r.departed() != null) {
            syncResults.remove(oldMember);
        }
        runOwners.replaceAll((node, m) -> m == oldMember ? newMember : m);
        IdentityPublicKeys k = runIdentities.get(oldMember);
        if (k != null) {
            runIdentities.put(newMember, k);
        }
        Character letter = runLetters.get(oldMember);
        if (letter != null) {
            runLetters.put(newMember, letter);
        }
        runSources.put(newMember, runSources.getOrDefault(oldMember, List.of()));
        if (syncRun != null) {
            syncRun.takeOver(oldMember, newMember);
        }
    }

    private void onTakeover(int sender, GroupMessage.Takeover t) throws SessionException {
        if (sender != leaderId() || roster.get(sender) == null) {
            alert("refused a run takeover from member " + letterOf(sender) + ", who does not lead the session");
            return;
        }
        if (t.newMember() == self) {
            takeOverAsNewMember(sender, t);
            return;
        }
        if (t.runId() != runId || run != RunState.SYNCHRONIZATION || !participants.contains(t.oldMember())) {
            return;
        }
        IdentityPublicKeys before = runIdentities.get(t.oldMember());
        if (before == null || !before.equals(roster.get(t.newMember()))) {
            alert("refused a run takeover: member " + letterOf(t.newMember()) + " is not the same identity as the member it replaces");
            return;
        }
        applyTakeover(t.oldMember(), t.newMember());
    }

    /**
     * Under the lock: this member is the restarted process of a member that vanished during the run. It
     * checks the leader's signed order again, rebuilds the comparison from the inventories the leader
     * sealed for it (their digest must be the one the order signed), and carries out the old part.
     */
    private void takeOverAsNewMember(int leader, GroupMessage.Takeover t) {
        if (runId != 0 || run != RunState.IDLE) {
            return; // already in a run
        }
        GroupMessage.SignedOrder so = t.order();
        GroupMessage.LeaderOrder lo = so.order();
        PlanChoice.Order po = lo.kind() == Message.LeaderCommand.Kind.START_SYNCHRONIZATION ? PlanChoice.parseOrder(lo.body()) : null;
        if (po == null || po.runId() != t.runId()
                || !LeaderSignature.verify(roster.get(leader), lo.signature(), sessionId, so.epoch(), leader, so.sequence(), lo.kind(), lo.body())) {
            alert("refused a run takeover whose synchronization order is not signed by the leader");
            return;
        }
        runId = t.runId();
        run = RunState.SYNCHRONIZATION;
        for (GroupMessage.NodeOwner no : t.owners()) {
            runOwners.put(no.nodeId(), no.memberId());
        }
        participants.addAll(runOwners.values());
        replaced.add(t.oldMember());
        for (GroupMessage.Result r : t.results()) {
            syncResults.put(r.memberId(), new MemberSyncResult(r.memberId(), r.succeeded(), r.failed(), List.of(), r.failed() == 0, null));
        }
        if (!t.oldSources().equals(sources.get(self))) {
            syncProblem = "this machine rejoined the running synchronization with other sources (" + sources.get(self)
                    + ") than it had (" + t.oldSources() + "); its part of the run did not resume";
            sendSyncDone(runId, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
            return;
        }
        long id = runId;
        java.util.Optional<SecretBytes> key = channel.keyFor(t.inventoryEpoch());
        if (key.isEmpty()) {
            syncProblem = "the run handed over to this member is sealed under a key epoch it does not hold";
            sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
            return;
        }
        worker.submit(() -> {
            List<SharedNode> all;
            try (SecretBytes k = key.get()) {
                all = InventorySeal.open(sessionId, k, t.inventoryEpoch(), id, self, link.downloadPart(t.inventoryPart()));
            } catch (RelayException | WireException e) {
                synchronized (lock) {
                    syncProblem = "could not take the run over: " + e.getMessage();
                    sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
                }
                return;
            }
            synchronized (lock) {
                if (runId != id) {
                    return;
                }
                List<String> order = all.stream().map(SharedNode::nodeId).toList();
                if (!order.equals(List.copyOf(runOwners.keySet())) || !java.security.MessageDigest.isEqual(comparisonDigest(all, settings), po.digest())) {
                    syncProblem = "the inventories handed over do not match the leader's signed synchronization order; "
                            + "this member's part of the run did not resume";
                    alert(syncProblem);
                    sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
                    return;
                }
                adoptComparison(all);
                for (SharedNode n : all) {
                    if (Integer.valueOf(self).equals(runOwners.get(n.nodeId()))) {
                        int index = Integer.parseInt(n.nodeId().substring(1)) - 1; // node ids are letter + source number
                        SourceEntry e = sources.get(self).get(index);
                        java.nio.file.Path p = java.nio.file.Path.of(e.path());
                        nodeRoots.put(n.nodeId(), e.kind() == SourceEntry.Kind.DIRECTORY ? p : p.toAbsolutePath().getParent());
                    }
                }
                emit(new SessionEvent.RunTakenOver(id, t.oldMember()));
                beginSync(id, po.choice(), true);
                try {
                    broadcast(new GroupMessage.Ready(id));
                } catch (SessionException e) {
                    syncProblem = e.getMessage();
                }
            }
        });
    }

    private void inventoryFailed(long id, String message) {
        synchronized (lock) {
            if (id != runId) {
                return;
            }
            inventoryProblem = message;
            emit(new SessionEvent.InventoryFailed(message));
            if (pendingSync != null) {
                pendingSync = null;
                syncProblem = message;
                sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), message));
            }
            try {
                broadcast(new GroupMessage.InventoryFailed(id, message));
            } catch (SessionException e) {
                // the others wait for this member's inventory until the leader restarts
            }
        }
        setStatusQuietly("inventory failed");
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
        maybeHandOver();
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
                await(fresh, options.timeout(), early, Message.Welcome.class, "resuming");
                synchronized (lock) {
                    link = fresh;
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
            if (syncRun != null) {
                syncRun.close();
            }
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

    /** The letter a member had when the run started (it keeps it in messages after it left), else its letter now. */
    private String runLetter(int memberId) {
        Character l = runLetters.get(memberId);
        char now = letterOf(memberId);
        return l != null ? String.valueOf(l) : now != '?' ? String.valueOf(now) : "#" + memberId;
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
