package org.ciphersync.vault.repo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.Commit;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.chain.ComputerView;
import org.ciphersync.vault.chain.Merge;
import org.ciphersync.vault.chain.Resolution;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.format.BlobKind;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.tree.BlobId;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.TreeCodec;
import org.ciphersync.vault.tree.TreeFormatException;
import org.ciphersync.vault.tree.VaultPath;

/**
 * One namespace of a vault as read at one moment: every computer's verified log, the committed
 * index, and from them each computer's view and the merged state (docs/design.md (Vault) §4.3).
 * Trees are read lazily: a computer's view needs only the newest commit covering each root.
 */
public final class VaultView {
    private final Repository repo;
    private final String ns;
    private final Map<ComputerId, List<LogEntry>> logs;
    private final Map<BlobId, IndexEntry> index;

    private VaultView(Repository repo, String ns, Map<ComputerId, List<LogEntry>> logs, Map<BlobId, IndexEntry> index) {
        this.repo = repo;
        this.ns = ns;
        this.logs = logs;
        this.index = index;
    }

    /** A view over logs and an index already read and verified. */
    public static VaultView of(Repository repo, String ns, Map<ComputerId, List<LogEntry>> logs, Map<BlobId, IndexEntry> index) {
        return new VaultView(repo, ns, logs, index);
    }

    public static VaultView load(Repository repo, String ns) {
        Map<ComputerId, List<LogEntry>> logs = repo.logs(ns);
        return new VaultView(repo, ns, logs, repo.index(ns, logs));
    }

    public Repository repo() {
        return repo;
    }

    public String namespace() {
        return ns;
    }

    public Map<ComputerId, List<LogEntry>> logs() {
        return logs;
    }

    public Map<BlobId, IndexEntry> index() {
        return index;
    }

    /** All commits of all computers, oldest first (by time, then computer, then sequence). */
    public List<LogEntry> history() {
        List<LogEntry> all = new ArrayList<>();
        logs.values().forEach(all::addAll);
        all.sort((a, b) -> {
            int t = Long.compare(a.commit().time(), b.commit().time());
            if (t != 0) {
                return t;
            }
            int c = a.commit().computer().compareTo(b.commit().computer());
            return c != 0 ? c : Long.compare(a.commit().seq(), b.commit().seq());
        });
        return all;
    }

    /** Finds a commit by short id ({@code <8 hex>.<seq>}), or null. */
    public LogEntry find(String shortId) {
        for (List<LogEntry> l : logs.values()) {
            for (LogEntry e : l) {
                if (e.shortId().equals(shortId)) {
                    return e;
                }
            }
        }
        return null;
    }

    /** The view of one computer from its commits made at or before {@code maxTime}. */
    public NavigableMap<VaultPath, FileVersion> viewOf(ComputerId c, long maxTime, BlobCodec codec) {
        List<ComputerView.Step> steps = new ArrayList<>();
        for (LogEntry e : logs.getOrDefault(c, List.of())) {
            Commit commit = e.commit();
            if (commit.time() <= maxTime) {
                steps.add(new ComputerView.Step(commit.roots(), () -> tree(commit.tree(), codec)));
            }
        }
        try {
            return ComputerView.foldNewestFirst(steps);
        } catch (IllegalArgumentException ex) {
            throw VaultException.integrity("a commit of computer " + c.shortForm() + " is inconsistent: " + ex.getMessage(), ex);
        }
    }

    /** The merged state of all computers' commits made at or before {@code maxTime}. */
    public SortedMap<VaultPath, Resolution> merged(long maxTime) {
        boolean bulk = repo.wholePacks() == 0;
        if (bulk) {
            repo.preferWholePacks(4);
        }
        try (BlobCodec codec = repo.codec(ns)) {
            List<NavigableMap<VaultPath, FileVersion>> views = new ArrayList<>();
            for (ComputerId c : logs.keySet()) {
                views.add(viewOf(c, maxTime, codec));
            }
            return Merge.mergeDraining(views);
        } finally {
            if (bulk) {
                repo.preferWholePacks(0);
            }
        }
    }

    /** Decodes the trees below {@code root}. */
    public List<FileVersion> tree(BlobId root, BlobCodec codec) {
        try {
            return TreeCodec.decode(root, id -> {
                IndexEntry e = index.get(id);
                if (e == null) {
                    throw VaultException.integrity("tree " + id + " is not in the index (the vault lost data)");
                }
                if (e.kind() != BlobKind.TREE) {
                    throw VaultException.integrity("blob " + id + " is not a tree");
                }
                return repo.readBlob(e, codec);
            });
        } catch (TreeFormatException e) {
            throw VaultException.integrity(e.getMessage(), e);
        }
    }

    /** The location of a content chunk, or an integrity error naming the path. */
    public IndexEntry chunk(BlobId id, VaultPath forPath) {
        IndexEntry e = index.get(id);
        if (e == null) {
            throw VaultException.integrity("chunk " + id + " of " + forPath + " is not in the index (the vault lost data)");
        }
        return e;
    }

    /** The users that up-synced through computer {@code c}'s commits. */
    public Collection<String> usersOf(ComputerId c) {
        return logs.getOrDefault(c, List.of()).stream().map(e -> e.commit().user()).distinct().toList();
    }

    /** Everything merged now. */
    public SortedMap<VaultPath, Resolution> mergedNow() {
        return merged(Long.MAX_VALUE);
    }

    /** A map of computer → newest commit time, for the chain listing. */
    public Map<ComputerId, Long> lastActivity() {
        Map<ComputerId, Long> out = new TreeMap<>();
        logs.forEach((c, l) -> {
            if (!l.isEmpty()) {
                out.put(c, l.get(l.size() - 1).commit().time());
            }
        });
        return out;
    }
}
