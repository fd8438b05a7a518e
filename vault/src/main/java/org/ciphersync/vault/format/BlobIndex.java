package org.ciphersync.vault.format;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.tree.BlobId;

/**
 * A read-only map blob id → location held in flat arrays: about 50 bytes per blob where a hash map
 * of {@link IndexEntry} objects needs about 150 (a million-file vault indexes a million chunks).
 * Ids are sorted; a table of where each 16-bit id prefix starts narrows a lookup to a few entries
 * (ids are keyed hashes, so prefixes are even). {@link #get} returns a fresh {@link IndexEntry}.
 * When several entries have the same id the first one {@link Builder#add added} is kept.
 */
public final class BlobIndex extends AbstractMap<BlobId, IndexEntry> {
    private static final int PREFIX_BITS = 16;
    private static final BlobKind[] KINDS = BlobKind.values();

    private final int size;
    private final byte[] ids;
    private final byte[] kinds;
    private final int[] packs;
    private final long[] offsets;
    private final int[] lengths;
    private final int[] rawLengths;
    private final BlobName[] packNames;
    /** Where ids with prefix p start; {@code starts[p + 1]} is where they end. */
    private final int[] starts;

    private BlobIndex(int size, byte[] ids, byte[] kinds, int[] packs, long[] offsets, int[] lengths, int[] rawLengths,
                      BlobName[] packNames, int[] starts) {
        this.size = size;
        this.ids = ids;
        this.kinds = kinds;
        this.packs = packs;
        this.offsets = offsets;
        this.lengths = lengths;
        this.rawLengths = rawLengths;
        this.packNames = packNames;
        this.starts = starts;
    }

    public static BlobIndex of(Iterable<IndexEntry> entries) {
        Builder b = new Builder();
        entries.forEach(b::add);
        return b.build();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof BlobId id && find(id) >= 0;
    }

    @Override
    public IndexEntry get(Object key) {
        if (!(key instanceof BlobId id)) {
            return null;
        }
        int i = find(id);
        return i < 0 ? null : entry(i, id);
    }

    /** The packs the entries name. */
    public Set<BlobName> packs() {
        Set<BlobName> out = new java.util.HashSet<>();
        for (int i = 0; i < size; i++) {
            out.add(packNames[packs[i]]);
        }
        return Collections.unmodifiableSet(out);
    }

    private IndexEntry entry(int i, BlobId id) {
        return new IndexEntry(id, KINDS[kinds[i]], packNames[packs[i]], offsets[i], lengths[i], rawLengths[i]);
    }

    private int find(BlobId id) {
        int p = id.prefix(PREFIX_BITS);
        int lo = starts[p];
        int hi = starts[p + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = id.compareTo(ids, mid * BlobId.LENGTH);
            if (c == 0) {
                return mid;
            }
            if (c > 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<BlobId, IndexEntry>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<BlobId, IndexEntry>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<BlobId, IndexEntry> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        BlobId id = BlobId.of(ids, next * BlobId.LENGTH);
                        return new SimpleImmutableEntry<>(id, entry(next++, id));
                    }
                };
            }
        };
    }

    /** Collects entries (from several index objects, say), then sorts them once. */
    public static final class Builder {
        private int n;
        private byte[] ids = new byte[64 * BlobId.LENGTH];
        private byte[] kinds = new byte[64];
        private int[] packs = new int[64];
        private long[] offsets = new long[64];
        private int[] lengths = new int[64];
        private int[] rawLengths = new int[64];
        private final List<BlobName> packNames = new ArrayList<>();
        private final Map<BlobName, Integer> packNumbers = new HashMap<>();

        public Builder add(IndexEntry e) {
            byte[] id = new byte[BlobId.LENGTH];
            e.id().copyTo(id, 0);
            return add(id, 0, e.kind(), e.pack(), e.offset(), e.length(), e.rawLength());
        }

        /** Adds the blob whose id is the 32 bytes of {@code id} at {@code idOffset}. */
        public Builder add(byte[] id, int idOffset, BlobKind kind, BlobName pack, long offset, int length, int rawLength) {
            Objects.requireNonNull(kind, "kind == null");
            Objects.requireNonNull(pack, "pack == null");
            if (n == kinds.length) {
                int cap = n + (n >> 1);
                ids = Arrays.copyOf(ids, cap * BlobId.LENGTH);
                kinds = Arrays.copyOf(kinds, cap);
                packs = Arrays.copyOf(packs, cap);
                offsets = Arrays.copyOf(offsets, cap);
                lengths = Arrays.copyOf(lengths, cap);
                rawLengths = Arrays.copyOf(rawLengths, cap);
            }
            System.arraycopy(id, idOffset, ids, n * BlobId.LENGTH, BlobId.LENGTH);
            kinds[n] = (byte) kind.ordinal();
            packs[n] = packNumbers.computeIfAbsent(pack, p -> {
                packNames.add(p);
                return packNames.size() - 1;
            });
            offsets[n] = offset;
            lengths[n] = length;
            rawLengths[n] = rawLength;
            n++;
            return this;
        }

        /** The index; the builder must not be used afterwards. */
        public BlobIndex build() {
            int[] order = sortedOrder();
            int[] starts = new int[(1 << PREFIX_BITS) + 1];
            byte[] sIds = new byte[n * BlobId.LENGTH];
            byte[] sKinds = new byte[n];
            int[] sPacks = new int[n];
            long[] sOffsets = new long[n];
            int[] sLengths = new int[n];
            int[] sRaw = new int[n];
            int m = 0;
            for (int k = 0; k < n; k++) {
                int i = order[k];
                int at = i * BlobId.LENGTH;
                if (m > 0 && Arrays.equals(ids, at, at + BlobId.LENGTH, sIds, (m - 1) * BlobId.LENGTH, m * BlobId.LENGTH)) {
                    continue; // the same blob named again: the first added is kept (the order is stable)
                }
                System.arraycopy(ids, at, sIds, m * BlobId.LENGTH, BlobId.LENGTH);
                sKinds[m] = kinds[i];
                sPacks[m] = packs[i];
                sOffsets[m] = offsets[i];
                sLengths[m] = lengths[i];
                sRaw[m] = rawLengths[i];
                starts[prefix(sIds, m * BlobId.LENGTH) + 1]++;
                m++;
            }
            for (int p = 0; p < 1 << PREFIX_BITS; p++) {
                starts[p + 1] += starts[p];
            }
            ids = null;
            return new BlobIndex(m, m == n ? sIds : Arrays.copyOf(sIds, m * BlobId.LENGTH), Arrays.copyOf(sKinds, m),
                    Arrays.copyOf(sPacks, m), Arrays.copyOf(sOffsets, m), Arrays.copyOf(sLengths, m), Arrays.copyOf(sRaw, m),
                    packNames.toArray(BlobName[]::new), starts);
        }

        /** Positions sorted by id, equal ids in the order added: counting sort by prefix, then each bucket. */
        private int[] sortedOrder() {
            int[] count = new int[(1 << PREFIX_BITS) + 1];
            for (int i = 0; i < n; i++) {
                count[prefix(ids, i * BlobId.LENGTH) + 1]++;
            }
            for (int p = 0; p < 1 << PREFIX_BITS; p++) {
                count[p + 1] += count[p];
            }
            int[] order = new int[n];
            int[] fill = Arrays.copyOf(count, count.length);
            for (int i = 0; i < n; i++) {
                order[fill[prefix(ids, i * BlobId.LENGTH)]++] = i;
            }
            for (int p = 0; p < 1 << PREFIX_BITS; p++) {
                sortBucket(order, count[p], count[p + 1]);
            }
            return order;
        }

        private void sortBucket(int[] order, int from, int to) {
            if (to - from <= 32) { // the usual case: a few ids per prefix; insertion sort is stable
                for (int k = from + 1; k < to; k++) {
                    int v = order[k];
                    int j = k - 1;
                    while (j >= from && compare(order[j], v) > 0) {
                        order[j + 1] = order[j];
                        j--;
                    }
                    order[j + 1] = v;
                }
                return;
            }
            Integer[] boxed = new Integer[to - from]; // uneven ids (not keyed hashes): a stable general sort
            for (int k = from; k < to; k++) {
                boxed[k - from] = order[k];
            }
            Arrays.sort(boxed, this::compare);
            for (int k = from; k < to; k++) {
                order[k] = boxed[k - from];
            }
        }

        private int compare(int a, int b) {
            return Arrays.compareUnsigned(ids, a * BlobId.LENGTH, (a + 1) * BlobId.LENGTH, ids, b * BlobId.LENGTH,
                    (b + 1) * BlobId.LENGTH);
        }
    }

    private static int prefix(byte[] ids, int at) {
        return ((ids[at] & 0xff) << 8 | (ids[at + 1] & 0xff)) >>> (16 - PREFIX_BITS);
    }
}
