package org.ciphersync.vault.prune;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.ComputerId;
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
 *   <li>Refuse when the vault has commits in a namespace not named (its references are unknown).</li>
 *   <li>Candidates: packs no committed index names, index objects no commit names. Each candidate
 *       remembers when it was first seen unreferenced.</li>
 *   <li>Delete a candidate only when it has been unreferenced for the grace period and every
 *       active computer (activity within 30 days) has acknowledged — by starting an operation —
 *       after it was first seen; the pruner's own operations are serialized by its local lock.</li>
 * </ol>
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

    public static Result run(Repository repo, ComputerId me, List<String> namespaces, Duration grace, long now) {
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

        // Every namespace in use must be named: otherwise its references are invisible.
        Set<String> tags = new HashSet<>();
        for (String ns : namespaces) {
            tags.add(repo.keys().tag(ns));
        }
        Map<ComputerId, Long> activity = new TreeMap<>();
        for (BlobInfo i : list(repo, BlobType.SNAPSHOT)) {
            ObjectNames.SnapshotRef ref = ObjectNames.parseSnapshot(i.name());
            if (ref != null && !tags.contains(ref.nsTag())) {
                throw new VaultException(VaultException.Kind.REFUSED, "the vault has commits in a namespace that was not named"
                        + " (tag " + ref.nsTag().substring(0, 8) + "…); run prune with every namespace in use (--namespace)");
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
        repo.computers().forEach(r -> activity.merge(r.id(), r.joined(), Math::max));

        Map<String, Long> candidates = new TreeMap<>();
        Map<String, BlobInfo> infos = new TreeMap<>();
        for (BlobInfo i : list(repo, BlobType.PACK)) {
            if (!livePacks.contains(i.name()) && ObjectNames.packHash(i.name()) != null) {
                String key = "pack:" + i.name().name();
                candidates.put(key, previous.getOrDefault(key, now));
                infos.put(key, i);
            }
        }
        for (BlobInfo i : list(repo, BlobType.INDEX)) {
            if (!liveIndexes.contains(i.name().name()) && ObjectNames.indexHash(i.name()) != null) {
                String key = "index:" + i.name().name();
                candidates.put(key, previous.getOrDefault(key, now));
                infos.put(key, i);
            }
        }
        List<ComputerId> active = activity.entrySet().stream()
                .filter(e -> !e.getKey().equals(me) && now - e.getValue() < ACTIVE_MILLIS).map(Map.Entry::getKey).toList();
        Map<ComputerId, Long> acks = new TreeMap<>();
        for (ComputerId c : active) {
            acks.put(c, Lease.ackTime(repo, c, me));
        }
        int deleted = 0;
        int waitingGrace = 0;
        long freed = 0;
        Set<String> waitingFor = new java.util.TreeSet<>();
        Map<String, Long> remaining = new TreeMap<>();
        for (Map.Entry<String, Long> c : candidates.entrySet()) {
            long firstSeen = c.getValue();
            if (now - firstSeen < grace.toMillis()) {
                waitingGrace++;
                remaining.put(c.getKey(), firstSeen);
                continue;
            }
            List<ComputerId> missing = new ArrayList<>();
            acks.forEach((comp, t) -> {
                if (t < firstSeen) {
                    missing.add(comp);
                }
            });
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
