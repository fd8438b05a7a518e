package org.ciphersync.session.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.ciphersync.core.state.NodeSetId;
import org.ciphersync.core.state.NodeState;
import org.ciphersync.core.state.StateStore;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.client.RelayException;
import org.ciphersync.relay.protocol.message.MemberView;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.inventory.InventoryCodec;
import org.ciphersync.session.inventory.InventorySeal;
import org.ciphersync.session.inventory.SharedNode;
import org.ciphersync.session.member.SourceEntry;
import org.ciphersync.session.wire.GroupMessage;
import org.ciphersync.session.wire.SettingsCodec;
import org.ciphersync.session.wire.WireException;

/**
 * The Data Inventory (S8) and the comparison (S9) of one member: on the leader's order it scans this
 * member's own sources, shares them sealed for the others (with each node's description and stored
 * two-way state), collects theirs and, once every listed member's inventory is in, computes the same
 * comparison as every other member, its digest (what the leader's synchronization order binds) and the
 * run's node set id. State changes happen under the client's lock; scans and downloads on its worker.
 */
final class InventoryExchange {
    /** Told when the comparison is ready, or when this member's inventory failed. */
    interface Listener {
        /** Under the lock. */
        void comparisonReady();

        /** Under the lock. */
        void inventoryFailed(long runId, String message);
    }

    private final SessionCore core;
    private final Object lock;
    private final int self;
    private final Map<Integer, IdentityPublicKeys> roster;
    private final Map<Integer, List<SourceEntry>> sources;
    private final Listener listener;
    private long runId;
    private final Map<Integer, List<SharedNode>> inventories = new HashMap<>();
    private Comparison comparison;
    private byte[] comparisonDigest;
    /** Every member's shared nodes in comparison order (members in join order). */
    private List<SharedNode> compared = List.of();
    private String nodeSetId;
    private String inventoryProblem;
    private final Map<String, java.nio.file.Path> nodeRoots = new HashMap<>();

    InventoryExchange(SessionCore core, Listener listener) {
        this.core = core;
        this.lock = core.lock();
        this.self = core.self();
        this.roster = core.roster();
        this.sources = core.sources();
        this.listener = listener;
    }

    /** The run of the last inventory order (0: none). */
    long runId() {
        return runId;
    }

    /** Takes part in run {@code id} without having inventoried (a member that takes a run over). */
    void adoptRun(long id) {
        reset();
        runId = id;
    }

    Comparison comparison() {
        return comparison;
    }

    byte[] comparisonDigest() {
        return comparisonDigest;
    }

    List<SharedNode> compared() {
        return compared;
    }

    String nodeSetId() {
        return nodeSetId;
    }

    String problem() {
        return inventoryProblem;
    }

    /** Under the lock: which member shared each node of the comparison. */
    Map<String, Integer> owners() {
        Map<String, Integer> out = new HashMap<>();
        inventories.forEach((m, ns) -> ns.forEach(n -> out.put(n.nodeId(), m)));
        return out;
    }

    /** This member's nodes' root folders, by node id (live map). */
    Map<String, java.nio.file.Path> nodeRoots() {
        return nodeRoots;
    }

    /** Under the lock: a member reported that its inventory failed. */
    void onFailed(int sender, GroupMessage.InventoryFailed fail) {
        if (fail.runId() == runId && runId != 0 && comparison == null) {
            inventoryProblem = "member " + core.letterOf(sender) + ": " + fail.message();
            core.emit(new SessionEvent.InventoryFailed(inventoryProblem));
        }
    }

    /** Under the lock: forgets the last run (a new inventory, or the leader's restart). */
    void reset() {
        runId = 0;
        inventories.clear();
        comparison = null;
        comparisonDigest = null;
        compared = List.of();
        nodeSetId = null;
        inventoryProblem = null;
        nodeRoots.clear();
    }

    /** Under the lock: starts this member's part of run {@code id} on the worker thread. */
    void begin(long id) {
        reset();
        runId = id;
        char letter = core.letterOf(self);
        List<SourceEntry> mine = List.copyOf(sources.get(self));
        SyncSettings s = core.settings();
        String expectedSet = expectedNodeSet();
        core.submit(() -> scanAndShare(id, letter, mine, s, expectedSet));
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
        for (MemberView m : core.relayMembers()) {
            IdentityPublicKeys k = roster.get(m.memberId());
            if (k == null) {
                return null;
            }
            for (SourceEntry e : sources.getOrDefault(m.memberId(), List.of())) {
                descriptions.add(describeNode(k, e));
            }
        }
        return descriptions.isEmpty() ? null : NodeSetId.of(descriptions);
    }

    private void scanAndShare(long id, char letter, List<SourceEntry> mine, SyncSettings s, String expectedSet) {
        List<SharedNode> nodes = new ArrayList<>();
        try {
            core.setStatusQuietly("inventory");
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
                NodeState base = null;
                if (expectedSet != null) {
                    try {
                        base = StateStore.load(new LocalFileTree(roots.get(n.nodeId())), expectedSet).orElse(null);
                    } catch (java.io.IOException e) {
                        synchronized (lock) {
                            core.alert(e.getMessage()); // a damaged state file: this run plans as if there were none
                        }
                    }
                }
                nodes.add(new SharedNode(n, describeNode(core.identityKeys(), mine.get(i)), base));
            }
        } catch (java.io.IOException | RuntimeException e) {
            inventoryFailed(id, "the Data Inventory of this machine failed: " + e.getMessage()
                    + " (check that every source exists and is readable, then ask the leader to restart)");
            return;
        }
        long epoch = 0;
        String partId = "";
        for (int attempt = 0; ; attempt++) {
            List<Integer> others = new ArrayList<>();
            SecretBytes key;
            synchronized (lock) {
                if (id != runId || !core.active()) {
                    return;
                }
                inventories.put(self, nodes);
                for (MemberView m : core.relayMembers()) {
                    if (m.memberId() != self) {
                        others.add(m.memberId());
                    }
                }
                epoch = core.channel().epoch();
                key = core.channel().currentKey();
            }
            try (key) {
                if (!nodes.isEmpty() && !others.isEmpty()) {
                    partId = "inv-" + Long.toHexString(id) + "-" + self + (attempt == 0 ? "" : "-" + attempt);
                    core.link().uploadPart(partId, InventorySeal.seal(core.sessionId(), key, epoch, id, self, nodes), others);
                }
                break;
            } catch (RelayException e) {
                // a member that left meanwhile is refused as a recipient: try again with the members listed then
                if (attempt == 2 || !pause()) {
                    inventoryFailed(id, "could not share this machine's inventory through the relay: " + e.getMessage());
                    return;
                }
            }
        }
        synchronized (lock) {
            try {
                core.broadcast(new GroupMessage.InventoryReady(id, epoch, partId));
            } catch (SessionException e) {
                inventoryProblem = e.getMessage();
            }
            maybeCompare();
        }
        core.setStatusQuietly("inventory done");
    }

    /** Under the lock: a member's inventory is on the relay. */
    void onReady(int sender, GroupMessage.InventoryReady ir) {
        if (ir.runId() != runId || runId == 0) {
            return; // an older run, or a run this member was not part of
        }
        if (ir.partId().isEmpty()) {
            inventories.put(sender, List.of());
            maybeCompare();
            return;
        }
        java.util.Optional<SecretBytes> key = core.channel().keyFor(ir.epoch());
        if (key.isEmpty()) {
            inventoryFailed(ir.runId(), "the inventory of member " + core.letterOf(sender) + " is sealed under key epoch " + ir.epoch()
                    + " which this member no longer holds; ask the leader to restart");
            return;
        }
        core.submit(() -> {
            try (SecretBytes k = key.get()) {
                List<SharedNode> nodes = InventorySeal.open(core.sessionId(), k, ir.epoch(), ir.runId(), sender, core.link().downloadPart(ir.partId()));
                synchronized (lock) {
                    if (ir.runId() != runId) {
                        return;
                    }
                    Set<String> seen = new java.util.HashSet<>();
                    inventories.forEach((m, ns) -> ns.forEach(n -> seen.add(n.nodeId())));
                    for (SharedNode n : nodes) {
                        if (!seen.add(n.nodeId())) {
                            core.alert("member " + core.letterOf(sender) + " sent an inventory for node " + n.nodeId() + " which another member owns; refused");
                            return;
                        }
                    }
                    inventories.put(sender, nodes);
                    maybeCompare();
                }
            } catch (RelayException | WireException e) {
                synchronized (lock) {
                    core.alert("refused the inventory of member " + core.letterOf(sender) + ": " + e.getMessage());
                }
                inventoryFailed(ir.runId(), "the inventory of member " + core.letterOf(sender) + " could not be used: " + e.getMessage());
            }
        });
    }

    /**
     * Under the lock: a member left the session (or lost its place), or the relay's member list changed.
     * The comparison is computed from the members still listed, so an inventory nobody will send is not
     * awaited, whichever of the two messages comes last.
     */
    void membersChanged() {
        maybeCompare();
    }

    /** Under the lock: computes the comparison once every current member's inventory is here. */
    private void maybeCompare() {
        if (comparison != null || runId == 0) {
            return;
        }
        List<SharedNode> all = new ArrayList<>();
        for (MemberView m : core.relayMembers()) {
            List<SharedNode> ns = inventories.get(m.memberId());
            if (ns == null) {
                return;
            }
            all.addAll(ns);
        }
        if (all.size() < Comparer.MIN_NODES || all.size() > Comparer.MAX_NODES) {
            inventoryProblem = "the comparison needs " + Comparer.MIN_NODES + " to " + Comparer.MAX_NODES
                    + " data sources in all; the members selected " + all.size();
            core.emit(new SessionEvent.InventoryFailed(inventoryProblem));
            return;
        }
        adoptComparison(all);
        core.emit(new SessionEvent.ComparisonReady(comparison));
        listener.comparisonReady();
    }

    /** Under the lock: the comparison of {@code all} (in this order), its digest and node set. */
    void adoptComparison(List<SharedNode> all) {
        compared = List.copyOf(all);
        comparison = Comparer.compare(all.stream().map(SharedNode::inventory).toList(), core.settings());
        comparisonDigest = comparisonDigest(all, core.settings());
        nodeSetId = NodeSetId.of(all.stream().map(SharedNode::description).toList());
    }

    /** SHA-256 over every shared node (inventory, description, stored state) and the settings: what the leader's order binds. */
    static byte[] comparisonDigest(List<SharedNode> all, SyncSettings settings) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (SharedNode n : all) {
                md.update(InventoryCodec.encode(List.of(n)));
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
    static Map<String, NodeState> basesOf(List<SharedNode> all) {
        String set = NodeSetId.of(all.stream().map(SharedNode::description).toList());
        Map<String, NodeState> out = new HashMap<>();
        for (SharedNode n : all) {
            if (n.base() != null && n.base().nodeSetId().equals(set)) {
                out.put(n.nodeId(), n.base());
            }
        }
        return out;
    }

    /** Waits a moment before a retry (the relay's news of a departure may still be on its way); false if interrupted. */
    static boolean pause() {
        try {
            Thread.sleep(250);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void inventoryFailed(long id, String message) {
        synchronized (lock) {
            if (id != runId) {
                return;
            }
            inventoryProblem = message;
            core.emit(new SessionEvent.InventoryFailed(message));
            listener.inventoryFailed(id, message);
            try {
                core.broadcast(new GroupMessage.InventoryFailed(id, message));
            } catch (SessionException e) {
                // the others wait for this member's inventory until the leader restarts
            }
        }
        core.setStatusQuietly("inventory failed");
    }
}
