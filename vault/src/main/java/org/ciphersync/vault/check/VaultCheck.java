package org.ciphersync.vault.check;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.format.ObjectNames;
import org.ciphersync.vault.repo.LogEntry;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.repo.VaultView;
import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.StoreException;
import org.ciphersync.vault.tree.BlobId;
import org.ciphersync.vault.tree.FileVersion;

/**
 * {@code vault check}: verifies the structure (config, computer records, every commit's seal and
 * hash chain, every index object's name hash and seal, every tree of every commit, that every chunk
 * a tree names is indexed, that every indexed pack exists and is long enough; checkpoints of
 * interrupted up-syncs like index objects, except that a pack they name may be missing: its upload
 * was interrupted) and, with
 * {@code --read-data}, reads packs completely: name = SHA-256 of the content, every blob opens and
 * hashes to its id. Problems are collected, not thrown, so one run lists them all.
 */
public final class VaultCheck {
    private VaultCheck() {
    }

    /**
     * @param readData null for a structure check, else a subset {@code "n/m"} (packs whose first
     *                 hash byte mod m == n-1), {@code "x%"} or {@code "all"}
     */
    public static CheckReport run(Repository repo, List<String> namespaces, String readData) {
        repo.useCache(null); // check verifies what the storage holds, not local copies
        List<String> errors = new ArrayList<>();
        long commits = 0;
        long indexObjects = 0;
        long files = 0;
        long blobsRead = 0;
        long packsRead = 0;
        Map<BlobName, Long> packSizes = new HashMap<>();
        Set<String> referencedIndexes = new HashSet<>();
        Set<BlobName> referencedPacks = new HashSet<>();
        try {
            repo.computers();
        } catch (VaultException e) {
            errors.add(e.getMessage());
        }
        try {
            repo.store().list(BlobType.PACK, i -> packSizes.put(i.name(), i.size()));
        } catch (StoreException e) {
            throw new VaultException(VaultException.Kind.STORAGE, "cannot list packs: " + e.getMessage(), e);
        }
        Predicate subset = Predicate.parse(readData);
        for (String ns : namespaces) {
            Map<ComputerId, List<LogEntry>> logs;
            try {
                logs = repo.logs(ns);
            } catch (VaultException e) {
                errors.add("namespace " + ns + ": " + e.getMessage());
                continue;
            }
            Map<BlobId, IndexEntry> index = new HashMap<>();
            for (List<LogEntry> log : logs.values()) {
                commits += log.size();
                for (LogEntry e : log) {
                    for (String n : e.commit().indexes()) {
                        if (referencedIndexes.add(n)) {
                            try {
                                for (IndexEntry ie : repo.loadIndex(ns, n)) {
                                    index.putIfAbsent(ie.id(), ie);
                                    referencedPacks.add(ie.pack());
                                    Long size = packSizes.get(ie.pack());
                                    if (size == null) {
                                        errors.add("pack " + Repository.shortName(ie.pack()) + " is missing (named by index " + n.substring(0, 8) + "…)");
                                    } else if (ie.offset() + ie.length() > size) {
                                        errors.add("pack " + Repository.shortName(ie.pack()) + " is truncated: " + size
                                                + " bytes, blob " + ie.id() + " ends at " + (ie.offset() + ie.length()));
                                    }
                                }
                                indexObjects++;
                            } catch (VaultException ex) {
                                errors.add(ex.getMessage());
                            }
                        }
                    }
                }
            }
            VaultView view = VaultView.of(repo, ns, logs, index);
            // Trees are read through whole packs (an up-sync stores its trees last, so they share a few
            // packs): one read per pack instead of one ranged read per folder of every commit.
            repo.preferWholePacks(4);
            try (BlobCodec codec = repo.codec(ns)) {
                try {
                    for (List<LogEntry> log : logs.values()) {
                        for (LogEntry e : log) {
                            try {
                                for (FileVersion v : view.tree(e.commit().tree(), codec)) {
                                    for (BlobId c : v.chunks()) {
                                        if (!index.containsKey(c)) {
                                            errors.add("commit " + e.shortId() + ": chunk " + c + " of " + v.path() + " is not in any index");
                                        }
                                    }
                                    if (e == log.get(log.size() - 1) && !v.isFolder()) {
                                        files++;
                                    }
                                }
                            } catch (VaultException ex) {
                                errors.add("commit " + e.shortId() + ": " + ex.getMessage());
                            }
                        }
                    }
                } finally {
                    repo.preferWholePacks(0);
                }
                if (subset != null) {
                    Map<BlobName, List<IndexEntry>> byPack = new HashMap<>();
                    index.values().forEach(ie -> byPack.computeIfAbsent(ie.pack(), k -> new ArrayList<>()).add(ie));
                    for (Map.Entry<BlobName, List<IndexEntry>> p : byPack.entrySet()) {
                        if (!subset.test(p.getKey()) || !packSizes.containsKey(p.getKey())) {
                            continue;
                        }
                        try {
                            byte[] pack = repo.store().loadBytes(p.getKey());
                            packsRead++;
                            if (!org.ciphersync.vault.format.Seal.sha256Hex(pack).equals(ObjectNames.packHash(p.getKey()))) {
                                errors.add("pack " + Repository.shortName(p.getKey()) + " is corrupt: its content does not match its name");
                            }
                            for (IndexEntry ie : p.getValue()) {
                                try {
                                    if (ie.offset() + ie.length() > pack.length) {
                                        continue; // reported above
                                    }
                                    codec.open(ie.id(), pack, (int) ie.offset(), ie.length(), ie.rawLength(), "pack " + Repository.shortName(p.getKey()));
                                    blobsRead++;
                                } catch (VaultException ex) {
                                    errors.add(ex.getMessage());
                                }
                            }
                        } catch (IOException ex) {
                            errors.add("pack " + Repository.shortName(p.getKey()) + " cannot be read: " + ex.getMessage());
                        }
                    }
                }
            }
        }
        Set<BlobName> checkpointed = new HashSet<>();
        long checkpoints = checkCheckpoints(repo, namespaces, packSizes, checkpointed, errors);
        long resumable = checkpointed.stream().filter(p -> packSizes.containsKey(p) && !referencedPacks.contains(p)).count();
        long unreferenced = packSizes.keySet().stream().filter(p -> !referencedPacks.contains(p)).count();
        try {
            for (BlobInfo i : repo.store().listAll(BlobType.INDEX)) {
                if (!referencedIndexes.contains(i.name().name())) {
                    unreferenced++;
                }
            }
        } catch (StoreException e) {
            errors.add("cannot list index objects: " + e.getMessage());
        }
        return new CheckReport(List.copyOf(namespaces), commits, indexObjects, packSizes.size(), packsRead, blobsRead, files,
                unreferenced, checkpoints, resumable, errors);
    }

    /**
     * Verifies the checkpoints of {@code namespaces} (name hash, seal, structure) and adds the packs
     * they name to {@code packs}. A missing pack is expected (written after its checkpoint); a pack
     * shorter than its blobs is not. Returns how many checkpoints were verified.
     */
    private static long checkCheckpoints(Repository repo, List<String> namespaces, Map<BlobName, Long> packSizes, Set<BlobName> packs,
                                         List<String> errors) {
        Map<String, String> tags = new HashMap<>();
        namespaces.forEach(ns -> tags.put(repo.keys().tag(ns), ns));
        long verified = 0;
        for (ObjectNames.CheckpointRef ref : repo.checkpoints()) {
            String ns = tags.get(ref.nsTag());
            if (ns == null) {
                continue;
            }
            try {
                List<IndexEntry> entries = repo.loadCheckpoint(ns, ref);
                if (entries == null) {
                    continue; // deleted by its writer after its commit, while this check ran
                }
                verified++;
                for (IndexEntry ie : entries) {
                    packs.add(ie.pack());
                    Long size = packSizes.get(ie.pack());
                    if (size != null && ie.offset() + ie.length() > size) {
                        errors.add("pack " + Repository.shortName(ie.pack()) + " is truncated: " + size + " bytes, blob " + ie.id()
                                + " ends at " + (ie.offset() + ie.length()) + " (named by checkpoint " + Repository.shortName(ref.name()) + ")");
                    }
                }
            } catch (VaultException ex) {
                errors.add("checkpoint of an interrupted up-sync: " + ex.getMessage());
            }
        }
        return verified;
    }

    /** Which packs --read-data reads. */
    private record Predicate(int n, int m) {
        static Predicate parse(String s) {
            if (s == null) {
                return null;
            }
            if (s.isEmpty() || s.equals("all")) {
                return new Predicate(1, 1);
            }
            try {
                if (s.endsWith("%")) {
                    double pct = Double.parseDouble(s.substring(0, s.length() - 1));
                    if (pct <= 0 || pct > 100) {
                        throw new NumberFormatException();
                    }
                    return new Predicate(-1, (int) Math.round(pct * 2.56));
                }
                String[] parts = s.split("/");
                int n = Integer.parseInt(parts[0]);
                int m = Integer.parseInt(parts[1]);
                if (parts.length != 2 || m < 1 || n < 1 || n > m) {
                    throw new NumberFormatException();
                }
                return new Predicate(n, m);
            } catch (RuntimeException e) {
                throw new VaultException(VaultException.Kind.USAGE, "--read-data subset '" + s + "' is not 'all', 'N/M' (1 <= N <= M) or 'P%'");
            }
        }

        boolean test(BlobName pack) {
            int first = HexFormat.fromHexDigits(pack.name(), 0, 2);
            if (n < 0) {
                return first < m;
            }
            return first % m == n - 1;
        }
    }
}
