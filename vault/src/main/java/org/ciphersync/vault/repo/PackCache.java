package org.ciphersync.vault.repo;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.ciphersync.vault.store.BlobName;

/**
 * Whole packs kept in memory for bulk reads of trees (views, check), least recently used out,
 * with their buffers reused.
 *
 * <p>A pack is 16 MiB: one new array per pack read (and the copy a stream read makes of it) outlived
 * the young generation, so a restore's heap grew by the size of every pack it read (1.75 GiB for
 * the 928 MiB {@code mixed} corpus). Here a pack is read into a buffer of the cache's standard size
 * taken from the spares, and an evicted pack's buffer becomes a spare once no reader holds it
 * (readers hold a {@link Lease}), so a bulk read holds at most {@code capacity} packs, the packs its
 * readers still hold, and a few spares. A pack larger than the standard size (a single blob larger than the
 * pack size, such as the tree of a huge folder) gets an array of its own, never pooled.
 */
final class PackCache {
    /** Reads a pack into {@code buffer} when it fits, else into an array of its own. */
    @FunctionalInterface
    interface Loader {
        Loaded load(BlobName pack, byte[] buffer) throws IOException;
    }

    /** A pack's bytes: the first {@code length} of {@code bytes}. */
    record Loaded(byte[] bytes, int length) {
    }

    /** A pack held for reading; close it when done (its buffer may then be reused). */
    interface Lease extends AutoCloseable {
        byte[] bytes();

        int length();

        @Override
        void close();
    }

    private final class Entry implements Lease {
        final byte[] bytes;
        final int length;
        int readers;
        boolean evicted;

        Entry(Loaded l) {
            this.bytes = l.bytes();
            this.length = l.length();
        }

        @Override
        public byte[] bytes() {
            return bytes;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void close() {
            synchronized (packs) {
                readers--;
                if (evicted && readers == 0) {
                    recycle(bytes);
                }
            }
        }
    }

    private static final int MAX_SPARES = 4;

    private final int bufferSize;
    private final LinkedHashMap<BlobName, Entry> packs = new LinkedHashMap<>(8, 0.75f, true);
    private final ArrayDeque<byte[]> spares = new ArrayDeque<>();
    private final ConcurrentHashMap<BlobName, Object> loading = new ConcurrentHashMap<>();
    private volatile int capacity;

    PackCache(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    /** Keeps up to {@code n} packs; 0 turns the cache off and lets go of every buffer. */
    void capacity(int n) {
        synchronized (packs) {
            capacity = n;
            evictBeyond(n);
            if (n == 0) {
                spares.clear();
            }
        }
    }

    int capacity() {
        return capacity;
    }

    /** The cached pack, read with {@code loader} first if needed (one reader per pack at a time). */
    Lease acquire(BlobName pack, Loader loader) throws IOException {
        Entry hit = lease(pack);
        if (hit != null) {
            return hit;
        }
        Object lock = loading.computeIfAbsent(pack, k -> new Object());
        try {
            synchronized (lock) {
                hit = lease(pack);
                if (hit != null) {
                    return hit;
                }
                byte[] buffer;
                synchronized (packs) {
                    buffer = spares.isEmpty() ? null : spares.pop();
                }
                Entry e;
                try {
                    e = new Entry(loader.load(pack, buffer != null ? buffer : new byte[bufferSize]));
                } catch (IOException | RuntimeException ex) {
                    if (buffer != null) {
                        synchronized (packs) {
                            recycle(buffer);
                        }
                    }
                    throw ex;
                }
                synchronized (packs) {
                    e.readers = 1;
                    if (capacity > 0) {
                        packs.put(pack, e);
                        evictBeyond(capacity);
                    } else {
                        e.evicted = true; // turned off meanwhile: used once, then recycled or dropped
                    }
                }
                return e;
            }
        } finally {
            loading.remove(pack);
        }
    }

    private Entry lease(BlobName pack) {
        synchronized (packs) {
            Entry e = packs.get(pack);
            if (e != null) {
                e.readers++;
            }
            return e;
        }
    }

    /** Under the lock: drops the least recently used packs beyond {@code n}. */
    private void evictBeyond(int n) {
        var it = packs.values().iterator();
        while (packs.size() > n && it.hasNext()) {
            Entry eldest = it.next();
            it.remove();
            eldest.evicted = true;
            if (eldest.readers == 0) {
                recycle(eldest.bytes);
            }
        }
    }

    /**
     * Under the lock: keeps a standard buffer for the next pack while the cache is on and short of
     * spares. Every load takes a spare and every eviction gives one back, so a few suffice; more
     * would only hold memory.
     */
    private void recycle(byte[] bytes) {
        if (bytes.length == bufferSize && capacity > 0 && spares.size() < MAX_SPARES) {
            spares.push(bytes);
        }
    }
}
