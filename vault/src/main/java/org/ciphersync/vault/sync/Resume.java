package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.BlobIndex;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.format.ObjectNames;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.state.StateDirs;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.tree.BlobId;

/**
 * What earlier, interrupted up-syncs of this computer left in one namespace: their checkpoints and
 * the blobs of those of their packs that arrived (docs/design.md (Vault) §5).
 *
 * <p>Loaded at the start of an up-sync, after its prune acknowledgement. A blob no commit indexes
 * but an arrived pack holds is not uploaded again: the up-sync reuses it and copies its index entry
 * into its own index object (it never names the old checkpoint in its commit, so prune may delete
 * that checkpoint at any time without harm). Once the commit is stored, this computer's
 * checkpoints of the namespace are deleted; checkpoints whose packs are all committed already are
 * deleted at once.
 *
 * <p>Listing the storage's index objects to find checkpoints is skipped when this computer knows it
 * left none: a local marker file ({@code <namespace>.no-checkpoints} beside the local state) is
 * written once an up-sync ends with none of its checkpoints left, and removed at the start of every
 * up-sync, before it can store one. A missing marker (a crash, a failed deletion, a state folder
 * from before the marker, or a lost one) only means the storage is listed as before.
 */
final class Resume {
    /** Checkpoints deleted at the same time after the commit. */
    private static final int DELETERS = 8;

    private final Map<BlobId, IndexEntry> arrived;
    private final Map<BlobId, IndexEntry> reused = new LinkedHashMap<>();
    private final List<BlobName> leftovers;
    private final Path noCheckpoints;

    private Resume(Map<BlobId, IndexEntry> arrived, List<BlobName> leftovers, Path noCheckpoints) {
        this.arrived = arrived;
        this.leftovers = leftovers;
        this.noCheckpoints = noCheckpoints;
    }

    /** The marker saying that computer's last up-sync in {@code ns} left no checkpoint on the storage. */
    static Path marker(StateDirs dirs, String vaultId, String ns) {
        return dirs.vaultDataDir(vaultId).resolve(ns + ".no-checkpoints");
    }

    /**
     * Reads computer {@code me}'s checkpoints of {@code ns}. A checkpoint that fails verification is
     * ignored (its blobs are uploaded again; {@code vault check} reports it); a named pack that
     * does not exist (its upload was interrupted) or is shorter than its blobs need is ignored.
     *
     * @param committed     the blobs committed indexes name (never reused from a checkpoint)
     * @param noCheckpoints the marker of {@link #marker}: when present, nothing is listed (and the
     *                      marker is removed: this up-sync may store checkpoints)
     */
    static Resume load(Repository repo, String ns, ComputerId me, BlobIndex committed, Path noCheckpoints) throws IOException {
        if (Files.deleteIfExists(noCheckpoints)) {
            return new Resume(Map.of(), List.of(), noCheckpoints);
        }
        String tag = repo.keys().tag(ns);
        Set<BlobName> committedPacks = committed.packs();
        Map<BlobName, List<IndexEntry>> byPack = new LinkedHashMap<>();
        List<BlobName> leftovers = new ArrayList<>();
        for (ObjectNames.CheckpointRef ref : repo.checkpoints()) {
            if (!ref.computer().equals(me) || !ref.nsTag().equals(tag)) {
                continue;
            }
            List<IndexEntry> entries;
            try {
                entries = repo.loadCheckpoint(ns, ref);
            } catch (VaultException e) {
                if (e.kind() != VaultException.Kind.INTEGRITY) {
                    throw e;
                }
                continue;
            }
            if (entries == null) {
                continue;
            }
            if (entries.stream().allMatch(e -> committedPacks.contains(e.pack()))) {
                deleteQuietly(repo, ref.name()); // superseded: a commit indexes all its packs
                continue;
            }
            leftovers.add(ref.name());
            for (IndexEntry e : entries) {
                if (!committed.containsKey(e.id())) {
                    byPack.computeIfAbsent(e.pack(), k -> new ArrayList<>()).add(e);
                }
            }
        }
        Map<BlobId, IndexEntry> arrived = new HashMap<>();
        for (Map.Entry<BlobName, List<IndexEntry>> p : byPack.entrySet()) {
            long need = p.getValue().stream().mapToLong(e -> e.offset() + e.length()).max().orElse(0);
            if (repo.sizeOf(p.getKey()) >= need) {
                p.getValue().forEach(e -> arrived.putIfAbsent(e.id(), e));
            }
        }
        return new Resume(arrived, leftovers, noCheckpoints);
    }

    /** True when blob {@code id} is in a pack an interrupted up-sync stored; it is then reused. */
    boolean reuse(BlobId id) {
        IndexEntry e = arrived.get(id);
        if (e == null) {
            return false;
        }
        reused.putIfAbsent(id, e);
        return true;
    }

    /** The entries of every blob reused so far, for this up-sync's index object: by pack, in pack order as the index format requires. */
    List<IndexEntry> reused() {
        return reused.values().stream()
                .sorted(Comparator.comparing((IndexEntry e) -> e.pack().name()).thenComparingLong(IndexEntry::offset)).toList();
    }

    /**
     * After the commit: deletes the checkpoints this resume read and {@code written} (this
     * up-sync's own, one per pack), several at a time since each is a round trip on a remote store
     * (the store's connection limit still applies). After the first failure the rest are left
     * alone (the storage is failing; the commit is stored): the next up-sync deletes them as
     * superseded, or prune does. When every one is gone, the marker of {@link #marker} is written.
     */
    void discard(Repository repo, Collection<BlobName> written) {
        List<BlobName> all = new ArrayList<>(leftovers);
        all.addAll(written);
        if (all.isEmpty()) {
            markNoCheckpoints();
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(DELETERS, all.size()), r -> {
                    Thread t = new Thread(r, "vault-checkpoint-delete");
                    t.setDaemon(true);
                    return t;
                });
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            for (BlobName n : all) {
                pool.execute(() -> {
                    if (!failed.get() && !deleteQuietly(repo, n)) {
                        failed.set(true);
                    }
                });
            }
        } finally {
            pool.shutdown();
            try {
                pool.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.set(true);
            }
        }
        if (!failed.get()) {
            markNoCheckpoints();
        }
    }

    /**
     * For an up-sync that committed nothing: writes the marker when this resume found no checkpoint
     * and none was {@code written} (those that exist stay for the next up-sync that commits).
     */
    void keepAll(Collection<BlobName> written) {
        if (leftovers.isEmpty() && written.isEmpty()) {
            markNoCheckpoints();
        }
    }

    /** Best effort: without the marker the next up-sync only lists the storage once more. */
    private void markNoCheckpoints() {
        try {
            Files.createDirectories(noCheckpoints.getParent());
            Files.write(noCheckpoints, new byte[0]);
        } catch (IOException e) {
            // the commit stands; a failure to note a local hint must not fail the up-sync
        }
    }

    /** Deletes {@code n}; false when that failed (it is left for the next up-sync of this computer or for prune). */
    private static boolean deleteQuietly(Repository repo, BlobName n) {
        try {
            repo.delete(n);
            return true;
        } catch (VaultException e) {
            return false;
        }
    }
}
