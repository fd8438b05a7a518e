package org.ciphersync.vault.chain;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares one instance among equal immutable values. A vault of a million files holds a version
 * vector and computer ids per version, yet a chain has a handful of computers and every version of
 * one commit carries the same vector: decoded one by one, those would be a million equal maps.
 * Bounded: past {@code capacity} distinct values it starts over, which only costs sharing.
 */
final class Interner<T> {
    private final ConcurrentHashMap<T, T> values = new ConcurrentHashMap<>();
    private final int capacity;

    Interner(int capacity) {
        this.capacity = capacity;
    }

    /** The shared instance equal to {@code value} ({@code value} itself the first time). */
    T intern(T value) {
        T shared = values.get(value);
        if (shared != null) {
            return shared;
        }
        if (values.size() >= capacity) {
            values.clear();
        }
        shared = values.putIfAbsent(value, value);
        return shared == null ? value : shared;
    }
}
