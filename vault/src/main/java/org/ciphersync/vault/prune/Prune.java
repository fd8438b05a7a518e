package org.ciphersync.vault.prune;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.ComputerRecord;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.format.ObjectNames;
import org.ciphersync.vault.repo.LogEntry;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.StoreException;

/**
 * {@code vault prune} (V9): removes objects no commit references, without locks that block other
 * computers (docs/design.md (Vault) §7).
 *
 * <ol>
 *   <li>Take the maintenance lease ({@code leases/prune.<me>}); back off if another unexpired
 *       lease exists. Up-syncs and down-syncs never wait for it.</li>
 *   <li>Read every computer's acknowledgement <em>before</em> the logs, so an acknowledgement read
 *       proves the commits of the operations before it are visible to the listing.</li>
 *   <li>Refuse when the vault has commits or checkpoints in a namespace not named (their
 *       references are unknown).</li>
 *   <li>Live packs: those a committed index names, and those a checkpoint (an interrupted or
 *       running up-sync's index object) names, as long as that checkpoint exists.</li>
 *   <li>Candidates: packs that are not live, index objects and checkpoints no commit names. Each
 *       candidate remembers when it was first seen unreferenced, measured after the listings.</li>
 *   <li>Delete a candidate only when it has been unreferenced for the grace period and every
 *       active computer (activity within 30 days) has acknowledged, by starting an operation,
 *       after it was first seen.</li>
 * </ol>
 * So a checkpointed pack outlives its checkpoint: first the checkpoint is deleted (grace and
 * acknowledgements), then, found unreferenced by a later run, the pack (grace and acknowledgements
 * again). An up-sync resuming from a checkpoint copies its entries and never names it, and it
 * started before the pack became a candidate, so its pack is kept until its commit is visible.
 * Packs that mix live and dead blobs are kept (no repacking yet).
 */
public final class Prune {
    private static final long LEASE_MILLIS = Duration.ofHours(1).toMillis();
    private static final long ACTIVE_MILLIS = Duration.ofDays(30).toMillis();

    private Prune() {
    }

    /** What prune found and did. */
    public record Result(int candidates, int deleted, int waitingForGrace, List<String> waitingForComputers, long bytesFreed) {
    }

    public static Result run(Repository repo, ComputerId me, List<String> namespaces, Duration grace, Clock clock) {
        long now = clock.millis();
        for (BlobInfo i : list(repo, BlobType.LEASE)) {
            String n = i.name().name();
            if (n.startsWith("prune.") && !n.equals("prune." + me.hex())) {
                Lease other = Lease.load(repo, ComputerId.of(n.substring(6)));
                if (other.expires() > now && other.holder().compareTo(me) < 0) {
                    throw new VaultException(VaultException.Kind.REFUSED, "computer " + other.holder().shortForm()
                            + " holds the maintenance lease until " + java.time.Instant.ofEpochMilli(other.expires())
                            + "; try again later (up-syncs and down-syncs are not blocked)");
                }
            }
        }
        Map<String, Long> previous = Map.of();
        BlobName own = ObjectNames.pruneLease(me);
        if (exists(repo, own)) {
            previous = Lease.load(repo, me).candidates();
        }
        new Lease(me, now, now + LEASE_MILLIS, previous).save(repo);

        // Acknowledgements first: whatever an operation acknowledged here had committed before is in the listings below.
        Map<ComputerId, Long> acks = new TreeMap<>();
        Map<ComputerId, Long> activity = new TreeMap<>();
        for (ComputerRecord r : repo.computers()) {
            activity.merge(r.id(), r.joined(), Math::max);
            if (!r.id().equals(me)) {
                acks.put(r.id(), Lease.ackTime(repo, r.id(), me));
            }
        }

        // Every namespace in use must be named: otherwise its references are invisible.
        Map<String, String> tags = new HashMap<>();
        for (String ns : namespaces) {
            tags.put(repo.keys().tag(ns), ns);
        }
        for (BlobInfo i : list(repo, BlobType.SNAPSHOT)) {
            ObjectNames.SnapshotRef ref = ObjectNames.parseSnapshot(i.name());
            if (ref != null && !tags.containsKey(ref.nsTag())) {
                throw unnamed("commits", ref.nsTag());
            }
        }
        Set<String> liveIndexes = new HashSet<>();
        Set<BlobName> livePacks = new HashSet<>();
        for (String ns : namespaces) {
            Map<ComputerId, List<LogEntry>> logs = repo.logs(ns);
            logs.forEach((c, log) -> {
                if (!log.isEmpty()) {
                    activity.merge(c, log.get(log.size() - 1).commit().time(), Math::max);
                }
            });
            for (List<LogEntry> log : logs.values()) {
                for (LogEntry e : log) {
                    for (String n : e.commit().indexes()) {
                        if (liveIndexes.add(n)) {
                            for (IndexEntry ie : repo.loadIndex(ns, n)) {
                                livePacks.add(ie.pack());
                            }
                        }
                    }
                }
            }
        }
        List<BlobInfo> indexObjects = list(repo, BlobType.INDEX);
        for (BlobInfo i : indexObjects) {
            ObjectNames.CheckpointRef ref = ObjectNames.parseCheckpoint(i.name());
            if (ref == null) {
                continue;
            }
            String ns = tags.get(ref.nsTag());
            if (ns == null) {
                throw unnamed("checkpoints of an interrupted up-sync", ref.nsTag());
            }
            for (IndexEntry ie : checkpoint(repo, ns, ref)) {
                livePacks.add(ie.pack());
            }
        }

        Map<String, Long> candidates = new TreeMap<>();
        Map<String, BlobInfo> infos = new TreeMap<>();
        for (BlobInfo i : indexObjects) {
            boolean indexName = ObjectNames.indexHash(i.name()) != null || ObjectNames.parseCheckpoint(i.name()) != null;
            if (indexName && !liveIndexes.contains(i.name().name())) {
                infos.put("index:" + i.name().name(), i);
            }
        }
        for (BlobInfo i : list(repo, BlobType.PACK)) {
            if (!livePacks.contains(i.name()) && ObjectNames.packHash(i.name()) != null) {
                infos.put("pack:" + i.name().name(), i);
            }
        }
        // Measured after the listings: an operation that acknowledges later started after every candidate was unreferenced.
        long seen = clock.millis();
        for (String key : infos.keySet()) {
            candidates.put(key, previous.getOrDefault(key, seen));
        }
        for (ComputerId c : activity.keySet()) {
            if (!c.equals(me) && !acks.containsKey(c)) {
                acks.put(c, Lease.ackTime(repo, c, me)); // commits without a computer record: read late, but read
            }
        }
        List<ComputerId> active = activity.entrySet().stream()
                .filter(e -> !e.getKey().equals(me) && seen - e.getValue() < ACTIVE_MILLIS).map(Map.Entry::getKey).toList();
        int deleted = 0;
        int waitingGrace = 0;
        long freed = 0;
        Set<String> waitingFor = new java.util.TreeSet<>();
        Map<String, Long> remaining = new TreeMap<>();
        for (Map.Entry<String, Long> c : candidates.entrySet()) {
            long firstSeen = c.getValue();
            if (seen - firstSeen < grace.toMillis()) {
                waitingGrace++;
                remaining.put(c.getKey(), firstSeen);
                continue;
            }
            List<ComputerId> missing = new ArrayList<>();
            for (ComputerId comp : active) {
                if (acks.get(comp) < firstSeen) {
                    missing.add(comp);
                }
            }
            if (!missing.isEmpty()) {
                missing.forEach(m -> waitingFor.add(m.shortForm()));
                remaining.put(c.getKey(), firstSeen);
                continue;
            }
            BlobInfo info = infos.get(c.getKey());
            try {
                repo.store().delete(info.name());
            } catch (StoreException e) {
                throw new VaultException(VaultException.Kind.STORAGE, "cannot delete " + info.name() + ": " + e.getMessage(), e);
            }
            deleted++;
            freed += info.size();
        }
        new Lease(me, now, now, remaining).save(repo); // released (expired), candidates kept for the next run
        return new Result(candidates.size(), deleted, waitingGrace, List.copyOf(waitingFor), freed);
    }

    /**
     * The entries of a checkpoint; none when it vanished (its writer committed and deleted it) or
     * fails verification (then no up-sync resumes from it either, so it protects nothing).
     */
    private static List<IndexEntry> checkpoint(Repository repo, String ns, ObjectNames.CheckpointRef ref) {
        try {
            List<IndexEntry> entries = repo.loadCheckpoint(ns, ref);
            return entries == null ? List.of() : entries;
        } catch (VaultException e) {
            if (e.kind() == VaultException.Kind.INTEGRITY) {
                return List.of();
            }
            throw e;
        }
    }

    private static VaultException unnamed(String what, String nsTag) {
        return new VaultException(VaultException.Kind.REFUSED, "the vault has " + what + " in a namespace that was not named"
                + " (tag " + nsTag.substring(0, 8) + "…); run prune with every namespace in use (--namespace)");
    }

    /** Called at the start of every up-sync and down-sync: acknowledges every prune lease present. */
    public static void acknowledge(Repository repo, ComputerId me, long now) {
        for (BlobInfo i : list(repo, BlobType.LEASE)) {
            String n = i.name().name();
            if (n.startsWith("prune.") && n.length() == 6 + 32) {
                ComputerId pruner = ComputerId.of(n.substring(6));
                if (!pruner.equals(me)) {
                    Lease.ack(repo, me, pruner, now);
                }
            }
        }
    }

    private static List<BlobInfo> list(Repository repo, BlobType t) {
        try {
            return repo.store().listAll(t);
        } catch (StoreException e) {
            throw new VaultException(VaultException.Kind.STORAGE, "cannot list " + t.folder() + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Repository repo, BlobName n) {
        try {
            return repo.store().exists(n);
        } catch (StoreException e) {
            throw new VaultException(VaultException.Kind.STORAGE, "cannot read " + n + ": " + e.getMessage(), e);
        }
    }
}
