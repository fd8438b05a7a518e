package org.ciphersync.core.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.ciphersync.core.apply.ApplyListener;
import org.ciphersync.core.apply.ApplyOptions;
import org.ciphersync.core.apply.ApplyReport;
import org.ciphersync.core.apply.Applier;
import org.ciphersync.core.apply.StateAdvance;
import org.ciphersync.core.apply.TempCleaner;
import org.ciphersync.core.apply.VersionsArea;
import org.ciphersync.core.compare.Comparer;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.fs.FileAttrs;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.fs.LocalFileTree;
import org.ciphersync.core.inventory.DataSource;
import org.ciphersync.core.inventory.Inventory;
import org.ciphersync.core.inventory.InventoryCache;
import org.ciphersync.core.inventory.InventoryListener;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.inventory.FileInventoryCache;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.plan.Plan;
import org.ciphersync.core.plan.RulePlanner;
import org.ciphersync.core.plan.RuleSet;
import org.ciphersync.core.plan.SafetyGuards;
import org.ciphersync.core.plan.SyncRefusedException;
import org.ciphersync.core.plan.TwoWayPlanner;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.core.state.NodeSetId;
import org.ciphersync.core.state.NodeState;
import org.ciphersync.core.state.StateStore;

/**
 * Local Synchronization (S12), the facade the CLI calls: 2–5 folders (A first) → inventory →
 * clean-up of leftover temporary files → comparison → plan → consistency check and guards → apply → state and
 * versions upkeep. Whole-run refusals are {@link SyncRefusedException}s; per-item failures are in
 * the report and never stop the run.
 *
 * <pre>{@code
 * LocalSyncReport r = LocalSync.run(List.of(a, b), LocalSyncOptions.defaults(SyncMode.MIRROR), listener);
 * }</pre>
 *
 * The {@link DataSource} variant runs on any {@link FileTree} (tests use in-memory trees).
 */
public final class LocalSync {
    /** Scans data sources into inventories (part of the engine; replaceable for tests). */
    @FunctionalInterface
    public interface InventoryProvider {
        List<NodeInventory> scan(List<DataSource> sources, SyncSettings settings, InventoryListener listener)
                throws IOException;
    }

    private static final String[] IDS = {"A", "B", "C", "D", "E"};

    private LocalSync() {
    }

    /** Synchronizes local folders, with the inventory cache file in {@code options.cacheDir()}. */
    public static LocalSyncReport run(List<Path> folders, LocalSyncOptions options, SyncListener listener)
            throws SyncRefusedException, IOException {
        checkCount(folders.size());
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < folders.size(); i++) {
            if (!Files.isDirectory(folders.get(i))) {
                missing.add(IDS[i] + ": " + folders.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new SyncRefusedException(SyncRefusedException.Reason.ROOT_MISSING,
                    "folder(s) not found or not a directory: " + String.join(", ", missing)
                            + "; check the path (and that its disk is mounted)", missing);
        }
        List<DataSource> sources = new ArrayList<>();
        for (int i = 0; i < folders.size(); i++) {
            sources.add(DataSource.directory(IDS[i], new LocalFileTree(folders.get(i))));
        }
        Path cacheDir = options.cacheDir() != null ? options.cacheDir() : FileInventoryCache.defaultDirectory();
        try (FileInventoryCache cache = new FileInventoryCache(cacheDir)) {
            InventoryProvider inv = inventoryWith(cache, options);
            return run(sources, options, inv, listener);
        }
    }

    /** The engine's scanner with the given cache. */
    public static InventoryProvider inventoryWith(InventoryCache cache, LocalSyncOptions options) {
        return (sources, settings, l) -> new Inventory(new Inventory.Options(options.chunker(),
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()))))
                .run(sources, settings, cache, l).nodes();
    }

    /** Synchronizes the given data sources (ids as given; the first is A). */
    public static LocalSyncReport run(List<DataSource> sources, LocalSyncOptions options, InventoryProvider inventory,
                                      SyncListener listener) throws SyncRefusedException, IOException {
        return run(sources, options, inventory, listener, Clock.systemUTC());
    }

    /** As {@link #run(List, LocalSyncOptions, InventoryProvider, SyncListener)} with a clock (for tests). */
    public static LocalSyncReport run(List<DataSource> sources, LocalSyncOptions options, InventoryProvider inventory,
                                      SyncListener listener, Clock clock) throws SyncRefusedException, IOException {
        Objects.requireNonNull(options, "options == null");
        Objects.requireNonNull(inventory, "inventory == null");
        Objects.requireNonNull(listener, "listener == null");
        checkCount(sources.size());
        Set<String> ids = new HashSet<>();
        Map<String, FileTree> trees = new LinkedHashMap<>();
        List<String> descriptions = new ArrayList<>();
        for (DataSource s : sources) {
            if (!ids.add(s.id())) {
                throw new IllegalArgumentException("node id " + s.id() + " is used twice");
            }
            if (!s.only().isRoot()) {
                throw new IllegalArgumentException("local synchronization works on whole folders; node " + s.id()
                        + " is a single file");
            }
            trees.put(s.id(), s.tree());
            descriptions.add(s.tree().describe());
        }
        String nodeSetId = NodeSetId.of(descriptions);
        List<String> warnings = new ArrayList<>();
        Map<SyncListener.Phase, Duration> durations = new EnumMap<>(SyncListener.Phase.class);

        // roots
        List<String> missing = new ArrayList<>();
        for (DataSource s : sources) {
            Optional<FileAttrs> a;
            try {
                a = s.tree().stat(RelPath.ROOT);
            } catch (IOException e) {
                a = Optional.empty();
            }
            if (a.isEmpty() || !a.get().isDirectory()) {
                missing.add(s.id() + ": " + s.tree().describe());
            }
        }
        if (!missing.isEmpty()) {
            throw new SyncRefusedException(SyncRefusedException.Reason.ROOT_MISSING,
                    "folder(s) not found or not a directory: " + String.join(", ", missing)
                            + "; check the path (and that its disk is mounted)", missing);
        }

        long t0 = System.nanoTime();
        // inventory
        listener.phase(SyncListener.Phase.INVENTORY);
        Map<String, Long> found = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong hashed = new AtomicLong();
        AtomicLong hashedBytes = new AtomicLong();
        long[] hashTotals = {-1, -1};
        InventoryListener il = new InventoryListener() {
            @Override
            public void entriesFound(String nodeId, long totalSoFar) {
                found.put(nodeId, totalSoFar);
                long sum = 0;
                for (long v : found.values()) {
                    sum += v;
                }
                listener.progress(SyncListener.Phase.INVENTORY, sum, -1, 0, -1);
            }

            @Override
            public void hashingStarted(long files, long bytes) {
                hashTotals[0] = files;
                hashTotals[1] = bytes;
            }

            @Override
            public void fileHashed(String nodeId, RelPath path, long bytes) {
                listener.progress(SyncListener.Phase.INVENTORY, hashed.incrementAndGet(), hashTotals[0],
                        hashedBytes.addAndGet(bytes), hashTotals[1]);
            }
        };
        List<NodeInventory> inventories = inventory.scan(sources, options.settings(), il);
        t0 = lap(durations, SyncListener.Phase.INVENTORY, t0);

        // leftovers of an interrupted run (the comparison ignores them in any case)
        int temps = 0;
        if (!options.dryRun()) {
            listener.phase(SyncListener.Phase.CLEAN_UP);
            for (int i = 0; i < sources.size(); i++) {
                temps += TempCleaner.clean(sources.get(i).tree(), inventories.get(i));
            }
        }
        t0 = lap(durations, SyncListener.Phase.CLEAN_UP, t0);

        // comparison
        listener.phase(SyncListener.Phase.COMPARISON);
        Comparison comparison = Comparer.compare(inventories, options.settings(), options.mtimeToleranceNanos());
        t0 = lap(durations, SyncListener.Phase.COMPARISON, t0);

        // plan
        listener.phase(SyncListener.Phase.PLAN);
        Map<String, NodeState> bases = new HashMap<>();
        // each node's state file is read and checked on its own thread (they are independent)
        record Loaded(Optional<NodeState> state, IOException error) {
        }
        List<Loaded> loaded = sources.parallelStream().map(s -> {
            try {
                return new Loaded(StateStore.load(s.tree(), nodeSetId), null);
            } catch (IOException e) {
                return new Loaded(Optional.empty(), e);
            }
        }).toList();
        for (int i = 0; i < sources.size(); i++) {
            String id = sources.get(i).id();
            loaded.get(i).state().ifPresent(st -> bases.put(id, st));
            if (loaded.get(i).error() != null) {
                warnings.add(id + ": " + loaded.get(i).error().getMessage());
            }
        }
        Plan plan;
        try {
            plan = switch (options.mode()) {
                case TWO_WAY -> TwoWayPlanner.plan(comparison, options.settings(), bases, options.targeted());
                case MIRROR -> RulePlanner.plan(comparison, options.settings(),
                        RuleSet.mirror(sources.getFirst().id()).withTargeted(options.targeted()));
                case UPDATE -> RulePlanner.plan(comparison, options.settings(),
                        RuleSet.update(sources.getFirst().id()).withTargeted(options.targeted()));
                case RULES -> RulePlanner.plan(comparison, options.settings(), options.rules().withTargeted(options.targeted()));
            };
        } catch (IllegalArgumentException e) {
            throw new SyncRefusedException(SyncRefusedException.Reason.INVALID_RULES, e.getMessage()
                    + "; fix the rules and run again", List.of(e.getMessage()));
        }
        plan.requireConsistent();
        if (!options.force()) {
            SafetyGuards.check(plan, inventories, options.maxDeleteShare(), options.minDeleteItems());
        }
        t0 = lap(durations, SyncListener.Phase.PLAN, t0);

        Map<String, List<org.ciphersync.core.inventory.Skipped>> skipped = comparison.skipped();
        if (options.dryRun()) {
            listener.phase(SyncListener.Phase.DONE);
            return new LocalSyncReport(nodeSetId, comparison, plan, true, null, skipped, 0, 0, warnings, durations);
        }

        // apply
        listener.phase(SyncListener.Phase.APPLY);
        ApplyOptions ao = ApplyOptions.defaults().withThreads(options.threads()).withClock(clock);
        ao = new ApplyOptions(ao.threads(), options.chunker(), options.verifyWrites() ? Long.MAX_VALUE : 0, clock);
        ApplyReport applied = Applier.apply(plan, trees, ao, new ApplyListener() {
            @Override
            public void itemDone(org.ciphersync.core.apply.ItemResult result, long itemsDone, long itemsTotal,
                                 long bytesDone, long bytesTotal) {
                listener.progress(SyncListener.Phase.APPLY, itemsDone, itemsTotal, bytesDone, bytesTotal);
            }
        });
        t0 = lap(durations, SyncListener.Phase.APPLY, t0);

        // state (every mode: a later two-way run then knows what was in sync)
        listener.phase(SyncListener.Phase.SAVE_STATE);
        Map<String, NodeState> next = StateAdvance.next(nodeSetId, comparison, options.settings(), applied, bases);
        for (DataSource s : sources) {
            if (next.get(s.id()).equals(bases.get(s.id()))) {
                continue; // unchanged: no write
            }
            try {
                StateStore.save(s.tree(), next.get(s.id()));
            } catch (IOException e) {
                warnings.add(s.id() + ": could not save the synchronization state (" + e.getMessage()
                        + "); the next two-way run may report conflicts instead of updates, but loses nothing");
            }
        }
        t0 = lap(durations, SyncListener.Phase.SAVE_STATE, t0);

        int pruned = 0;
        if (options.versionsRetention() != null) {
            listener.phase(SyncListener.Phase.PRUNE_VERSIONS);
            Instant now = clock.instant();
            for (DataSource s : sources) {
                try {
                    pruned += VersionsArea.prune(s.tree(), options.versionsRetention(), now);
                } catch (IOException e) {
                    warnings.add(s.id() + ": could not prune old versions: " + e.getMessage());
                }
            }
        }
        lap(durations, SyncListener.Phase.PRUNE_VERSIONS, t0);
        listener.phase(SyncListener.Phase.DONE);
        return new LocalSyncReport(nodeSetId, comparison, plan, false, applied, skipped, temps, pruned, warnings,
                durations);
    }

    private static void checkCount(int n) {
        if (n < Comparer.MIN_NODES || n > Comparer.MAX_NODES) {
            throw new IllegalArgumentException("local synchronization needs 2 to 5 folders, got " + n);
        }
    }

    private static long lap(Map<SyncListener.Phase, Duration> d, SyncListener.Phase p, long t0) {
        long t = System.nanoTime();
        d.merge(p, Duration.ofNanos(t - t0), Duration::plus);
        return t;
    }
}
