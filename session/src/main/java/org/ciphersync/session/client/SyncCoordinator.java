package org.ciphersync.session.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ciphersync.core.apply.ApplyReport;
import org.ciphersync.core.apply.ItemResult;
import org.ciphersync.core.apply.StateAdvance;
import org.ciphersync.core.fs.LocalFileTree;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.plan.Plan;
import org.ciphersync.core.plan.PlannedAction;
import org.ciphersync.core.state.NodeState;
import org.ciphersync.core.state.StateStore;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.client.RelayException;
import org.ciphersync.relay.protocol.message.MemberView;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.PlanRefusedException;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.channel.LeaderSignature;
import org.ciphersync.session.inventory.InventorySeal;
import org.ciphersync.session.inventory.SharedNode;
import org.ciphersync.session.link.RelayLink;
import org.ciphersync.session.member.SourceEntry;
import org.ciphersync.session.wire.GroupMessage;
import org.ciphersync.session.wire.WireException;

/**
 * The Data Synchronization (S10, S11) as one member coordinates it: the plan every member computes
 * alike from the leader's order, this member's part ({@link SyncRun}) on the worker, every member's
 * result, members that leave during the run (their items fail, nobody waits for them), the handing of
 * a vanished member's part to its restarted process (takeover), and the two-way state saved when the run
 * is over. State changes happen under the client's lock.
 */
final class SyncCoordinator implements InventoryExchange.Listener {
    private final SessionCore core;
    private final Object lock;
    private final int self;
    private final Map<Integer, IdentityPublicKeys> roster;
    private final Map<Integer, List<SourceEntry>> sources;
    private final InventoryExchange inventory;
    private SyncRun syncRun;
    private PlanChoice.Order pendingSync;
    private final List<Map.Entry<Integer, GroupMessage>> earlyRunMessages = new ArrayList<>();
    private final Map<Integer, MemberSyncResult> syncResults = new LinkedHashMap<>();
    private String syncProblem;
    // who takes part, who vanished, who took over whom
    private Plan runPlan;
    private Map<String, NodeState> runBases = Map.of();
    private final LinkedHashMap<String, Integer> runOwners = new LinkedHashMap<>();
    private final Set<Integer> participants = new LinkedHashSet<>();
    private final Set<Integer> replaced = new LinkedHashSet<>();
    private final Map<Integer, String> departed = new HashMap<>();
    private final Map<Integer, IdentityPublicKeys> runIdentities = new HashMap<>();
    private final Map<Integer, List<SourceEntry>> runSources = new HashMap<>();
    private final Map<Integer, Character> runLetters = new HashMap<>();
    private GroupMessage.SignedOrder syncOrder;
    private List<ItemResult> myResults = List.of();

    SyncCoordinator(SessionCore core, java.util.function.Function<InventoryExchange.Listener, InventoryExchange> inventory) {
        this.core = core;
        this.lock = core.lock();
        this.self = core.self();
        this.roster = core.roster();
        this.sources = core.sources();
        this.inventory = inventory.apply(this);
    }

    /** The inventory exchange whose comparison this coordinator synchronizes. */
    InventoryExchange inventory() {
        return inventory;
    }

    /** Under the lock: forgets the last run. */
    void reset() {
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

    /** Under the lock: stops serving the run (this member is out of the session). */
    void close() {
        if (syncRun != null) {
            syncRun.close();
        }
    }

    /** Under the lock, leader: the order was sent; run this member's part. */
    void started(PlanChoice choice, GroupMessage.SignedOrder order) {
        syncOrder = order;
        core.run(RunState.SYNCHRONIZATION);
        begin(inventory.runId(), choice, false);
    }

    /** Under the lock: the leader's verified START_SYNCHRONIZATION order. */
    void onOrder(PlanChoice.Order po) {
        long id = po.runId();
        core.run(RunState.SYNCHRONIZATION);
        if (id == inventory.runId() && inventory.comparison() == null && inventory.problem() == null) {
            pendingSync = po; // this member's comparison is still being computed: start when it is
        } else if (id != inventory.runId() || inventory.comparisonDigest() == null
                || !java.security.MessageDigest.isEqual(inventory.comparisonDigest(), po.digest())) {
            syncProblem = "the leader's synchronization order does not match this member's comparison "
                    + "(an inventory is missing or differs); ask the leader to restart";
            sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
        } else {
            begin(id, po.choice(), false);
        }
    }

    @Override
    public void comparisonReady() {
        PlanChoice.Order pending = pendingSync;
        pendingSync = null;
        if (pending != null) {
            if (java.security.MessageDigest.isEqual(inventory.comparisonDigest(), pending.digest())) {
                begin(inventory.runId(), pending.choice(), false);
            } else {
                syncProblem = "the leader's synchronization order does not match this member's comparison; ask the leader to restart";
                sendSyncDone(inventory.runId(), new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
            }
        }
    }

    @Override
    public void inventoryFailed(long id, String message) {
        if (pendingSync != null) {
            pendingSync = null;
            syncProblem = message;
            sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), message));
        }
    }

    /** Under the lock: a member reported its result. */
    void onSyncDone(int sender, GroupMessage.SyncDone done) {
        if (done.runId() == inventory.runId() && inventory.runId() != 0 && !replaced.contains(sender)) {
            syncResults.put(sender, new MemberSyncResult(sender, done.succeeded(), done.failed(), done.failures(), done.complete(), null));
            finishIfComplete();
        }
    }

    List<MemberSyncResult> results() {
        return List.copyOf(syncResults.values());
    }

    String problem() {
        return syncProblem;
    }

    /** This member's failed items in the last run. */
    List<GroupMessage.ItemFailure> failures() {
        MemberSyncResult r = syncResults.get(self);
        return r == null ? List.of() : r.failures();
    }

    /**
     * Under the lock: computes the plan (the same on every member) and runs this member's part on the
     * worker. {@code resumed}: this member takes over the part of a vanished member with its identity.
     */
    private void begin(long id, PlanChoice choice, boolean resumed) {
        Plan plan;
        Map<String, NodeState> bases = InventoryExchange.basesOf(inventory.compared());
        try {
            plan = choice.plan(inventory.comparison(), core.settings(), bases);
        } catch (PlanRefusedException e) {
            syncProblem = e.getMessage();
            sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
            return;
        }
        runPlan = plan;
        runBases = bases;
        if (runOwners.isEmpty()) {
            Map<String, Integer> owners = inventory.owners();
            for (SharedNode n : inventory.compared()) {
                runOwners.put(n.nodeId(), owners.get(n.nodeId()));
            }
        }
        participants.addAll(runOwners.values());
        for (int m : participants) {
            IdentityPublicKeys k = roster.get(m);
            if (k != null) {
                runIdentities.putIfAbsent(m, k);
            }
            runSources.putIfAbsent(m, sources.getOrDefault(m, List.of()));
            if (core.letterOf(m) != '?') {
                runLetters.putIfAbsent(m, core.letterOf(m));
            }
        }
        List<NodeInventory> mine = new ArrayList<>();
        for (SharedNode n : inventory.compared()) {
            if (Integer.valueOf(self).equals(runOwners.get(n.nodeId()))) {
                mine.add(n.inventory());
            }
        }
        SyncRun sr = new SyncRun(syncContext, id, plan, runOwners, Map.copyOf(inventory.nodeRoots()), mine, core.options().timeout().multipliedBy(6), resumed,
                core.options().manifestPage());
        syncRun = sr;
        sr.holdNeeds();
        try {
            for (Map.Entry<Integer, GroupMessage> early : earlyRunMessages) {
                sr.onMessage(early.getKey(), early.getValue());
            }
        } finally {
            sr.releaseNeeds();
        }
        earlyRunMessages.clear();
        core.submit(() -> {
            core.setStatusQuietly("synchronizing");
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
            core.setStatusQuietly("sync done");
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
            return core.sessionId();
        }

        @Override
        public RelayLink link() {
            return core.link();
        }

        @Override
        public long epoch() {
            synchronized (lock) {
                return core.channel().epoch();
            }
        }

        @Override
        public java.util.Optional<SecretBytes> keyFor(long epoch) {
            synchronized (lock) {
                return core.channel().keyFor(epoch);
            }
        }

        @Override
        public void broadcast(GroupMessage m) throws SessionException {
            synchronized (lock) {
                core.broadcast(m);
            }
        }

        @Override
        public boolean reachable(int memberId) {
            synchronized (lock) {
                return !replaced.contains(memberId) && !departed.containsKey(memberId)
                        && core.relayMembers().stream().anyMatch(m -> m.memberId() == memberId && m.online());
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
                core.alert(message);
            }
        }

        @Override
        public boolean active() {
            return core.active();
        }

        @Override
        public boolean finished(int memberId) {
            synchronized (lock) {
                return syncResults.containsKey(memberId);
            }
        }

        @Override
        public Set<PlannedAction> approve(List<PlannedAction> destructive) {
            try {
                return core.options().approve().apply(destructive);
            } catch (RuntimeException e) {
                return Set.of();
            }
        }

        @Override
        public void received(String node, String path, long fetched, long reused) {
            core.emit(new SessionEvent.ItemReceived(node, path, fetched, reused));
        }

        @Override
        public java.nio.file.Path transfers() {
            return core.options().transfers();
        }
    };

    /**
     * Under the lock: holds back the NEEDs this member's run computes until the returned action runs, so
     * that the manifests of one bundle are answered in as few frames as their NEEDs fit.
     */
    Runnable holdNeeds() {
        SyncRun sr = syncRun;
        if (sr == null) {
            return () -> { };
        }
        sr.holdNeeds();
        return sr::releaseNeeds;
    }

    /** Under the lock: a message of run {@code id} for this member's part. */
    void route(int sender, long id, GroupMessage m) {
        if (id != inventory.runId() || inventory.runId() == 0) {
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
                core.broadcast(new GroupMessage.SyncDone(id, o.succeeded(), o.failed(), listed, complete));
            } catch (SessionException e) {
                syncProblem = e.getMessage();
            }
            finishIfComplete();
        }
    }

    /** Under the lock: every member of the run reported its result or left the session. */
    boolean complete() {
        if (core.run() != RunState.SYNCHRONIZATION && !syncResults.isEmpty()) {
            return true; // finished (the state went back to idle)
        }
        if (participants.isEmpty()) {
            return !core.relayMembers().isEmpty() && core.relayMembers().stream().allMatch(m -> syncResults.containsKey(m.memberId()));
        }
        for (int m : participants) {
            if (!replaced.contains(m) && !syncResults.containsKey(m)) {
                return false;
            }
        }
        return true;
    }

    /** Under the lock: the run is over when every member of it reported (or left); then this member saves its nodes' state. */
    void finishIfComplete() {
        if (core.run() == RunState.SYNCHRONIZATION && !syncResults.isEmpty() && complete()) {
            core.run(RunState.IDLE);
            saveState();
            if (syncRun != null) {
                syncRun.close();
            }
            core.emit(new SessionEvent.SynchronizationFinished(List.copyOf(syncResults.values())));
        }
    }

    /**
     * Under the lock, during a run: a member of it left the session or lost its place. Everything it had
     * still to send fails (with this reason), and every item that targets it counts as failed.
     */
    void memberDeparted(int memberId, boolean byChoice) {
        if (core.run() != RunState.SYNCHRONIZATION || !participants.contains(memberId) || replaced.contains(memberId)) {
            return;
        }
        String why = byChoice ? "left the session" : "lost its connection and its place in the session";
        departed.put(memberId, why);
        if (!syncResults.containsKey(memberId)) {
            int n = runPlan == null ? 0 : SyncRun.actionsTargeting(runPlan, runOwners, memberId);
            syncResults.put(memberId, new MemberSyncResult(memberId, 0, n, List.of(), n == 0, "member " + runLetter(memberId) + " " + why
                    + " during the synchronization; its " + n + " item(s) did not run"));
        }
        finishIfComplete();
    }

    /**
     * Under the lock, when the run is over: the nodes' new last-synchronized state (as local sync keeps
     * it), saved on this member's own nodes. An item counts as synchronized only when no member reported
     * it failed; a member that left or listed only part of its failures fails all its items here.
     */
    private void saveState() {
        if (runPlan == null || inventory.nodeSetId() == null || inventory.comparison() == null) {
            return;
        }
        Map<String, Integer> owners = runOwners;
        List<ItemResult> all = new ArrayList<>(myResults);
        for (MemberSyncResult r : syncResults.values()) {
            if (r.memberId() == self) {
                continue;
            }
            Set<String> failedHere = new java.util.HashSet<>();
            r.failures().forEach(f -> failedHere.add(f.node() + "\u0000" + f.path()));
            for (PlannedAction a : runPlan.actions()) {
                Integer o = owners.get(a.targetNode());
                if (o != null && o == r.memberId() && (!r.complete() || failedHere.contains(a.targetNode() + "\u0000" + a.targetPath().value()))) {
                    all.add(new ItemResult(a, ItemResult.Outcome.FAILED,
                            "failed on member " + core.letterOf(r.memberId()), 0, null, null));
                }
            }
        }
        Map<String, NodeState> next = StateAdvance.next(inventory.nodeSetId(), inventory.comparison(), core.settings(),
                new ApplyReport(all, 0, Duration.ZERO), runBases);
        for (Map.Entry<String, NodeState> e : next.entrySet()) {
            java.nio.file.Path root = inventory.nodeRoots().get(e.getKey());
            if (!Integer.valueOf(self).equals(owners.get(e.getKey())) || root == null || e.getValue().equals(runBases.get(e.getKey()))) {
                continue;
            }
            try {
                StateStore.save(new LocalFileTree(root), e.getValue());
            } catch (java.io.IOException | RuntimeException x) {
                core.alert("could not save the synchronization state of " + e.getKey() + " (" + x.getMessage()
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
    void maybeHandOver() throws SessionException {
        if (!core.active() || core.leaderId() != self || core.run() != RunState.SYNCHRONIZATION || syncRun == null || syncOrder == null) {
            return;
        }
        for (MemberView x : core.relayMembers()) {
            IdentityPublicKeys k = roster.get(x.memberId());
            if (!x.online() || k == null || participants.contains(x.memberId())) {
                continue;
            }
            for (int old : participants) {
                boolean vanished = core.relayMembers().stream().anyMatch(m -> m.memberId() == old && !m.online())
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
        long runId = inventory.runId();
        String partId = "run-" + Long.toHexString(runId) + "-" + newMember;
        long epoch = core.channel().epoch();
        try (SecretBytes key = core.channel().currentKey()) {
            core.link().uploadPart(partId, InventorySeal.seal(core.sessionId(), key, epoch, runId, newMember, inventory.compared()), List.of(newMember));
        } catch (RelayException e) {
            core.alert("could not hand the run over to member " + core.letterOf(newMember) + ": " + e.getMessage());
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
        core.broadcast(new GroupMessage.Takeover(runId, oldMember, newMember, syncOrder, epoch, partId, owners,
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

    void onTakeover(int sender, GroupMessage.Takeover t) throws SessionException {
        if (sender != core.leaderId() || roster.get(sender) == null) {
            core.alert("refused a run takeover from member " + core.letterOf(sender) + ", who does not lead the session");
            return;
        }
        if (t.newMember() == self) {
            takeOverAsNewMember(sender, t);
            return;
        }
        if (t.runId() != inventory.runId() || core.run() != RunState.SYNCHRONIZATION || !participants.contains(t.oldMember())) {
            return;
        }
        IdentityPublicKeys before = runIdentities.get(t.oldMember());
        if (before == null || !before.equals(roster.get(t.newMember()))) {
            core.alert("refused a run takeover: member " + core.letterOf(t.newMember()) + " is not the same identity as the member it replaces");
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
        if (inventory.runId() != 0 || core.run() != RunState.IDLE) {
            return; // already in a run
        }
        GroupMessage.SignedOrder so = t.order();
        GroupMessage.LeaderOrder lo = so.order();
        PlanChoice.Order po = lo.kind() == Message.LeaderCommand.Kind.START_SYNCHRONIZATION ? PlanChoice.parseOrder(lo.body()) : null;
        if (po == null || po.runId() != t.runId()
                || !LeaderSignature.verify(roster.get(leader), lo.signature(), core.sessionId(), so.epoch(), leader, so.sequence(), lo.kind(), lo.body())) {
            core.alert("refused a run takeover whose synchronization order is not signed by the leader");
            return;
        }
        reset();
        inventory.adoptRun(t.runId());
        long id = t.runId();
        core.run(RunState.SYNCHRONIZATION);
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
            sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
            return;
        }
        java.util.Optional<SecretBytes> key = core.channel().keyFor(t.inventoryEpoch());
        if (key.isEmpty()) {
            syncProblem = "the run handed over to this member is sealed under a key epoch it does not hold";
            sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
            return;
        }
        core.submit(() -> {
            List<SharedNode> all;
            try (SecretBytes k = key.get()) {
                all = InventorySeal.open(core.sessionId(), k, t.inventoryEpoch(), id, self, core.link().downloadPart(t.inventoryPart()));
            } catch (RelayException | WireException e) {
                synchronized (lock) {
                    syncProblem = "could not take the run over: " + e.getMessage();
                    sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
                }
                return;
            }
            synchronized (lock) {
                if (inventory.runId() != id) {
                    return;
                }
                List<String> order = all.stream().map(SharedNode::nodeId).toList();
                if (!order.equals(List.copyOf(runOwners.keySet())) || !java.security.MessageDigest.isEqual(InventoryExchange.comparisonDigest(all, core.settings()), po.digest())) {
                    syncProblem = "the inventories handed over do not match the leader's signed synchronization order; "
                            + "this member's part of the run did not resume";
                    core.alert(syncProblem);
                    sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
                    return;
                }
                for (SharedNode n : all) {
                    if (Integer.valueOf(self).equals(runOwners.get(n.nodeId()))) {
                        SourceEntry e = sourceOfNode(n.nodeId());
                        if (e == null) {
                            syncProblem = "the run handed over names node " + n.nodeId() + ", which is not one of this machine's sources";
                            core.alert(syncProblem);
                            sendSyncDone(id, new SyncRun.Outcome(0, 0, List.of(), List.of(), syncProblem));
                            return;
                        }
                        java.nio.file.Path p = java.nio.file.Path.of(e.path());
                        inventory.nodeRoots().put(n.nodeId(), e.kind() == SourceEntry.Kind.DIRECTORY ? p : p.toAbsolutePath().getParent());
                    }
                }
                inventory.adoptComparison(all);
                core.emit(new SessionEvent.RunTakenOver(id, t.oldMember()));
                begin(id, po.choice(), true);
                try {
                    core.broadcast(new GroupMessage.Ready(id));
                } catch (SessionException e) {
                    syncProblem = e.getMessage();
                }
            }
        });
    }

    /** Under the lock: this member's source behind node id {@code node} (its letter, then the source's number), or null. */
    private SourceEntry sourceOfNode(String node) {
        List<SourceEntry> mine = sources.get(self);
        if (!node.matches("[A-E][1-9][0-9]?")) {
            return null;
        }
        int index = Integer.parseInt(node.substring(1)) - 1;
        return index < mine.size() ? mine.get(index) : null;
    }

    /** The letter a member had when the run started (it keeps it in messages after it left), else its letter now. */
    private String runLetter(int memberId) {
        Character l = runLetters.get(memberId);
        char now = core.letterOf(memberId);
        return l != null ? String.valueOf(l) : now != '?' ? String.valueOf(now) : "#" + memberId;
    }
}
