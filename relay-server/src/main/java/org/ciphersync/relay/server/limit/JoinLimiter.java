package org.ciphersync.relay.server.limit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed joins per key (a session, a source address) and locks a key out exponentially:
 * the first {@code threshold - 1} failures are free, the {@code threshold}-th locks the key for
 * {@code base}, each further one doubles the lockout up to {@code max}. A success forgives a key.
 *
 * <p>Why both keys: per session stops a distributed guesser, per address stops one guesser from
 * trying many sessions. With a PAKE the only way to test a password is one online attempt, so a
 * 40-bit-strong session password survives years of guessing under these limits.
 *
 * <p>Thread-safe. Keys idle for longer than {@code max} after their last lockout are dropped by {@link #purge()}.
 */
public final class JoinLimiter {

    /** State of a key. */
    private record Entry(int failures, Instant lockedUntil, Instant lastFailure) {
    }

    private final int threshold;
    private final Duration base;
    private final Duration max;
    private final InstantSource clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public JoinLimiter(int threshold, Duration base, Duration max, InstantSource clock) {
        if (threshold <= 0) {
            throw new IllegalArgumentException("threshold " + threshold + " must be positive");
        }
        this.threshold = threshold;
        this.base = base;
        this.max = max;
        this.clock = clock;
    }

    /** How long {@code key} is still locked out; {@link Duration#ZERO} if it may try now. */
    public Duration retryAfter(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), e.lockedUntil());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Records a failure for {@code key}.
     *
     * @return the lockout now in force for the key ({@link Duration#ZERO} if none)
     */
    public Duration recordFailure(String key) {
        Instant now = clock.instant();
        Entry e = entries.compute(key, (k, old) -> {
            int failures = old == null ? 1 : old.failures() + 1;
            Instant until = old == null ? now : old.lockedUntil();
            if (failures >= threshold) {
                Duration lock = lockFor(failures - threshold);
                until = now.plus(lock);
            }
            return new Entry(failures, until, now);
        });
        Duration left = Duration.between(now, e.lockedUntil());
        return left.isNegative() ? Duration.ZERO : left;
    }

    private Duration lockFor(int extra) {
        if (extra >= 30) {
            return max;
        }
        Duration d = base.multipliedBy(1L << extra);
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Forgets the failures of {@code key} (a successful join from that address). */
    public void recordSuccess(String key) {
        entries.remove(key);
    }

    /** Failures counted for {@code key}. */
    public int failures(String key) {
        Entry e = entries.get(key);
        return e == null ? 0 : e.failures();
    }

    /** Drops keys whose last failure is older than the maximum lockout and that are not locked. */
    public void purge() {
        Instant now = clock.instant();
        entries.entrySet().removeIf(en -> en.getValue().lockedUntil().isBefore(now)
                && en.getValue().lastFailure().plus(max).isBefore(now));
    }

    /** Number of keys tracked (for metrics and tests). */
    public int size() {
        return entries.size();
    }
}
