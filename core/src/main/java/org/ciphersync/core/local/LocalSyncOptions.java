package org.ciphersync.core.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.compare.Comparer;
import org.ciphersync.core.plan.RuleSet;
import org.ciphersync.core.plan.TargetedAction;
import org.ciphersync.core.settings.SyncSettings;

/**
 * Options of a local synchronization. Start from {@link #defaults(SyncMode)} and change what the
 * user chose with the {@code with…} methods.
 *
 * @param settings            what is compared and how (S7)
 * @param mode                preset or rules
 * @param rules               the rules for {@link SyncMode#RULES} (null otherwise)
 * @param targeted            per-item actions that override the mode's decisions
 * @param dryRun              plan only; nothing is written anywhere
 * @param force               skip the empty-node and mass-delete guards
 * @param maxDeleteShare      refuse plans deleting more than this share (0..1) of a node's items
 * @param minDeleteItems      ... and at least this many of them
 * @param versionsRetention   versions older than this are pruned after a run (null: keep forever)
 * @param threads             parallel file writers
 * @param mtimeToleranceNanos modification times closer than this count as equal
 * @param chunker             chunking of fingerprints
 * @param cacheDir            where the inventory cache lives (null: the user's cache directory)
 * @param verifyWrites        read every written file back and compare it with the bytes written
 *                            (costs a second hash of every byte; see docs/design.md, "Apply")
 */
public record LocalSyncOptions(SyncSettings settings, SyncMode mode, RuleSet rules, List<TargetedAction> targeted,
                               boolean dryRun, boolean force, double maxDeleteShare, int minDeleteItems,
                               Duration versionsRetention, int threads, long mtimeToleranceNanos,
                               ChunkerParams chunker, Path cacheDir, boolean verifyWrites) {
    public static final double DEFAULT_MAX_DELETE_SHARE = 0.5;
    public static final int DEFAULT_MIN_DELETE_ITEMS = 10;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    public LocalSyncOptions {
        Objects.requireNonNull(settings, "settings == null");
        Objects.requireNonNull(mode, "mode == null");
        Objects.requireNonNull(chunker, "chunker == null");
        targeted = List.copyOf(targeted);
        if (mode == SyncMode.RULES && rules == null) {
            throw new IllegalArgumentException("mode RULES needs a rule set (--rules FILE)");
        }
        if (!(maxDeleteShare >= 0 && maxDeleteShare <= 1)) {
            throw new IllegalArgumentException("max delete share " + maxDeleteShare + " is not within 0..1");
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads " + threads + " is not within 1..256");
        }
        if (versionsRetention != null && versionsRetention.isNegative()) {
            throw new IllegalArgumentException("versions retention " + versionsRetention + " is negative");
        }
    }

    /** The options without read-back verification of written files. */
    public LocalSyncOptions(SyncSettings settings, SyncMode mode, RuleSet rules, List<TargetedAction> targeted,
                            boolean dryRun, boolean force, double maxDeleteShare, int minDeleteItems,
                            Duration versionsRetention, int threads, long mtimeToleranceNanos,
                            ChunkerParams chunker, Path cacheDir) {
        this(settings, mode, rules, targeted, dryRun, force, maxDeleteShare, minDeleteItems, versionsRetention,
                threads, mtimeToleranceNanos, chunker, cacheDir, false);
    }

    public static LocalSyncOptions defaults(SyncMode mode) {
        return new LocalSyncOptions(SyncSettings.defaults(), mode, null, List.of(), false, false,
                DEFAULT_MAX_DELETE_SHARE, DEFAULT_MIN_DELETE_ITEMS, DEFAULT_RETENTION, 16,
                Comparer.DEFAULT_MTIME_TOLERANCE_NANOS, ChunkerParams.SYNC, null, false);
    }

    public LocalSyncOptions withSettings(SyncSettings s) {
        return new LocalSyncOptions(s, mode, rules, targeted, dryRun, force, maxDeleteShare, minDeleteItems,
                versionsRetention, threads, mtimeToleranceNanos, chunker, cacheDir, verifyWrites);
    }

    public LocalSyncOptions withRules(RuleSet r) {
        return new LocalSyncOptions(settings, SyncMode.RULES, r, targeted, dryRun, force, maxDeleteShare,
                minDeleteItems, versionsRetention, threads, mtimeToleranceNanos, chunker, cacheDir, verifyWrites);
    }

    public LocalSyncOptions withTargeted(List<TargetedAction> t) {
        return new LocalSyncOptions(settings, mode, rules, t, dryRun, force, maxDeleteShare, minDeleteItems,
                versionsRetention, threads, mtimeToleranceNanos, chunker, cacheDir, verifyWrites);
    }

    public LocalSyncOptions withDryRun(boolean d) {
        return new LocalSyncOptions(settings, mode, rules, targeted, d, force, maxDeleteShare, minDeleteItems,
                versionsRetention, threads, mtimeToleranceNanos, chunker, cacheDir, verifyWrites);
    }

    public LocalSyncOptions withForce(boolean f) {
        return new LocalSyncOptions(settings, mode, rules, targeted, dryRun, f, maxDeleteShare, minDeleteItems,
                versionsRetention, threads, mtimeToleranceNanos, chunker, cacheDir, verifyWrites);
    }

    public LocalSyncOptions withMaxDeleteShare(double share) {
        return new LocalSyncOptions(settings, mode, rules, targeted, dryRun, force, share, minDeleteItems,
                versionsRetention, threads, mtimeToleranceNanos, chunker, cacheDir, verifyWrites);
    }

    public LocalSyncOptions withVersionsRetention(Duration d) {
        return new LocalSyncOptions(settings, mode, rules, targeted, dryRun, force, maxDeleteShare, minDeleteItems,
                d, threads, mtimeToleranceNanos, chunker, cacheDir, verifyWrites);
    }

    public LocalSyncOptions withThreads(int t) {
        return new LocalSyncOptions(settings, mode, rules, targeted, dryRun, force, maxDeleteShare, minDeleteItems,
                versionsRetention, t, mtimeToleranceNanos, chunker, cacheDir, verifyWrites);
    }

    public LocalSyncOptions withCacheDir(Path dir) {
        return new LocalSyncOptions(settings, mode, rules, targeted, dryRun, force, maxDeleteShare, minDeleteItems,
                versionsRetention, threads, mtimeToleranceNanos, chunker, dir, verifyWrites);
    }

    public LocalSyncOptions withVerifyWrites(boolean v) {
        return new LocalSyncOptions(settings, mode, rules, targeted, dryRun, force, maxDeleteShare, minDeleteItems,
                versionsRetention, threads, mtimeToleranceNanos, chunker, cacheDir, v);
    }
}
