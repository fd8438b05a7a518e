package org.ciphersync.vault.chain;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A version vector: for each computer that changed a path, the sequence number of the commit in
 * which it last did. Immutable; counters are positive; absent computers count as 0.
 *
 * <p>{@code a} dominates {@code b} when {@code a[c] >= b[c]} for every computer and {@code >} for
 * at least one: {@code a} was made knowing {@code b} (fast-forward). Two vectors where each has a
 * counter larger than the other's are concurrent: neither writer saw the other's change (conflict).
 *
 * @param counters computer → counter, sorted by computer id
 */
public record VersionVector(SortedMap<ComputerId, Long> counters) {
    /** Longest accepted vector (more computers than a chain can reasonably have). */
    public static final int MAX_ENTRIES = 1024;

    public static final VersionVector EMPTY = new VersionVector(new TreeMap<>());
    private static final Interner<VersionVector> SHARED = new Interner<>(65_536);

    /** How two vectors relate. */
    public enum Order {
        EQUAL, DOMINATES, DOMINATED, CONCURRENT
    }

    public VersionVector {
        Objects.requireNonNull(counters, "counters == null");
        if (counters.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("version vector has " + counters.size() + " entries, more than " + MAX_ENTRIES);
        }
        TreeMap<ComputerId, Long> copy = new TreeMap<>();
        for (Map.Entry<ComputerId, Long> e : counters.entrySet()) {
            Objects.requireNonNull(e.getKey(), "computer == null");
            long v = Objects.requireNonNull(e.getValue(), "counter == null");
            if (v <= 0) {
                throw new IllegalArgumentException("counter " + v + " of computer " + e.getKey() + " is not positive");
            }
            copy.put(e.getKey(), v);
        }
        counters = Collections.unmodifiableSortedMap(copy);
    }

    /** The vector of {@code counters}, shared with every equal vector made by this method or {@link #canonical}. */
    public static VersionVector of(Map<ComputerId, Long> counters) {
        return new VersionVector(new TreeMap<>(counters)).canonical();
    }

    /**
     * The shared instance equal to this vector. Every version carries a vector, and a whole commit's
     * versions carry equal ones: decoders and {@link #with}/{@link #merge} return shared instances so
     * that a million versions do not hold a million equal maps.
     */
    public VersionVector canonical() {
        return SHARED.intern(this);
    }

    public long get(ComputerId c) {
        return counters.getOrDefault(c, 0L);
    }

    public boolean isEmpty() {
        return counters.isEmpty();
    }

    /** A copy where {@code c}'s counter is {@code counter}; it MUST not go down. */
    public VersionVector with(ComputerId c, long counter) {
        if (counter < get(c)) {
            throw new IllegalArgumentException("counter of " + c + " would go down from " + get(c) + " to " + counter);
        }
        TreeMap<ComputerId, Long> m = new TreeMap<>(counters);
        m.put(c, counter);
        return new VersionVector(m).canonical();
    }

    /** The pointwise maximum. */
    public VersionVector merge(VersionVector o) {
        TreeMap<ComputerId, Long> m = new TreeMap<>(counters);
        o.counters.forEach((k, v) -> m.merge(k, v, Math::max));
        return new VersionVector(m).canonical();
    }

    public Order compare(VersionVector o) {
        boolean greater = false;
        boolean less = false;
        TreeMap<ComputerId, Long> keys = new TreeMap<>(counters);
        keys.putAll(o.counters);
        for (ComputerId c : keys.keySet()) {
            long a = get(c);
            long b = o.get(c);
            if (a > b) {
                greater = true;
            } else if (a < b) {
                less = true;
            }
        }
        if (greater && less) {
            return Order.CONCURRENT;
        }
        return greater ? Order.DOMINATES : less ? Order.DOMINATED : Order.EQUAL;
    }

    /** Whether this vector is equal to or dominates {@code o} ({@code o} happened before or is this). */
    public boolean covers(VersionVector o) {
        Order r = compare(o);
        return r == Order.EQUAL || r == Order.DOMINATES;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        counters.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k.shortForm()).append('=').append(v));
        return b.append('}').toString();
    }
}
