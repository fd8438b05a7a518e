package org.ciphersync.vault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link BlobStore} contract as executable specification. Every implementation extends this
 * class: the memory and local stores always, the remote backends against real servers.
 *
 * <p>Subclasses provide a fresh, empty, not yet {@linkplain BlobStore#create() created} store per
 * test and may shrink the sizes for slow backends.
 */
public abstract class BlobStoreConformance {

    protected BlobStore store;

    /** A new store on an empty location, distinct for every call. */
    protected abstract BlobStore newStore() throws Exception;

    /** Size of the large-object test; 20 MiB unless a backend is slow. */
    protected int largeObjectSize() {
        return 20 * 1024 * 1024;
    }

    /** Number of objects in the many-objects listing test. */
    protected int manyObjectsCount() {
        return 300;
    }

    /** A secret that the location must not show (for example the password), or null. */
    protected String secretThatLocationMustHide() {
        return null;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
        store.create();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    // --- helpers -------------------------------------------------------------------------

    protected static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static String hexName(long seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    protected static BlobName pack(long seed) {
        return BlobName.of(BlobType.PACK, hexName(seed));
    }

    private Set<BlobName> names(BlobType type) throws StoreException {
        return store.listAll(type).stream().map(BlobInfo::name).collect(Collectors.toSet());
    }

    /** A source that yields {@code failAfter} bytes of the declared {@code length} and then throws. */
    protected static BlobSource failingSource(long length, long failAfter) {
        return new BlobSource() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public InputStream open() {
                return new InputStream() {
                    long served;

                    @Override
                    public int read() throws IOException {
                        if (served >= failAfter) {
                            throw new IOException("simulated source failure after " + served + " bytes");
                        }
                        served++;
                        return (int) (served & 0xff);
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (served >= failAfter) {
                            throw new IOException("simulated source failure after " + served + " bytes");
                        }
                        int n = (int) Math.min(len, failAfter - served);
                        for (int i = 0; i < n; i++) {
                            b[off + i] = (byte) (served + i);
                        }
                        served += n;
                        return n;
                    }
                };
            }
        };
    }

    private static BlobSource sourceOfLength(byte[] content, long declared) {
        return new BlobSource() {
            @Override
            public long length() {
                return declared;
            }

            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(content);
            }
        };
    }

    // --- location and capabilities ---------------------------------------------------------

    @Test
    void location_isPrintableAndHidesSecrets() {
        String location = store.location();
        assertThat(location).isNotBlank();
        String secret = secretThatLocationMustHide();
        if (secret != null) {
            assertThat(location).doesNotContain(secret);
            assertThat(store.toString()).doesNotContain(secret);
        }
    }

    @Test
    void create_calledAgain_keepsExistingObjects() throws Exception {
        BlobName key = BlobName.of(BlobType.KEY, "k1");
        store.save(key, BlobSource.of(bytes(100, 1)));
        store.create();
        assertThat(store.loadBytes(key)).isEqualTo(bytes(100, 1));
    }

    // --- save and load ----------------------------------------------------------------------

    @Test
    void save_thenLoad_returnsTheSameBytes() throws Exception {
        BlobName name = pack(1);
        byte[] content = bytes(10_000, 1);
        store.save(name, BlobSource.of(content));
        assertThat(store.loadBytes(name)).isEqualTo(content);
    }

    @Test
    void save_emptyObject_loadsAsEmpty() throws Exception {
        BlobName name = BlobName.of(BlobType.LOG, "empty");
        store.save(name, BlobSource.of(new byte[0]));
        assertThat(store.loadBytes(name)).isEmpty();
        assertThat(store.stat(name).size()).isZero();
    }

    @Test
    void save_everyType_isListedUnderItsOwnTypeOnly() throws Exception {
        for (BlobType type : BlobType.values()) {
            String name = type == BlobType.PACK ? hexName(type.ordinal()) : "obj-" + type.name().toLowerCase();
            store.save(BlobName.of(type, name), BlobSource.of(bytes(10 + type.ordinal(), type.ordinal())));
        }
        for (BlobType type : BlobType.values()) {
            List<BlobInfo> listed = store.listAll(type);
            assertThat(listed).as("listing of %s", type).hasSize(1);
            assertThat(listed.get(0).name().type()).isEqualTo(type);
            assertThat(listed.get(0).size()).isEqualTo(10 + type.ordinal());
        }
    }

    @Test
    void save_existingName_replacesTheContent() throws Exception {
        BlobName name = BlobName.of(BlobType.LEASE, "computer-1");
        store.save(name, BlobSource.of(bytes(5000, 1)));
        store.save(name, BlobSource.of(bytes(300, 2)));
        assertHoldsOnly(name, bytes(300, 2));
    }

    /** {@code name} holds exactly {@code content}, and its type holds no other object. */
    private void assertHoldsOnly(BlobName name, byte[] content) throws IOException {
        assertThat(store.loadBytes(name)).isEqualTo(content);
        assertThat(store.stat(name).size()).isEqualTo(content.length);
        assertThat(store.listAll(name.type())).extracting(BlobInfo::name).containsExactly(name);
    }

    @Test
    void saveIfAbsent_newName_storesIt_existingName_keepsTheOldContentAndLeavesNothingElse() throws Exception {
        BlobName name = BlobName.of(BlobType.SNAPSHOT, "computer.ns.0000000001");
        assertThat(store.saveIfAbsent(name, BlobSource.of(bytes(3000, 1)))).isTrue();
        assertThat(store.loadBytes(name)).isEqualTo(bytes(3000, 1));
        assertThat(store.saveIfAbsent(name, BlobSource.of(bytes(700, 2)))).isFalse();
        assertHoldsOnly(name, bytes(3000, 1));
    }

    @Test
    void saveIfAbsent_sourceThatFailsMidway_failsAndLeavesNoObject() throws Exception {
        BlobName name = BlobName.of(BlobType.SNAPSHOT, "computer.ns.0000000002");
        assertThatThrownBy(() -> store.saveIfAbsent(name, failingSource(200_000, 70_000))).isInstanceOf(StoreException.class);
        assertThat(store.exists(name)).isFalse();
        assertThat(store.saveIfAbsent(name, BlobSource.of(bytes(10, 3)))).isTrue();
        assertThat(store.loadBytes(name)).isEqualTo(bytes(10, 3));
    }

    @Test
    void save_largeObject_roundTripsIntact() throws Exception {
        int size = largeObjectSize();
        BlobName name = pack(42);
        BlobSource source = new BlobSource() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public InputStream open() {
                return new InputStream() {
                    long position;

                    @Override
                    public int read() {
                        return position == size ? -1 : byteAt(position++);
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (position == size) {
                            return -1;
                        }
                        int n = (int) Math.min(len, size - position);
                        for (int i = 0; i < n; i++) {
                            b[off + i] = (byte) byteAt(position++);
                        }
                        return n;
                    }
                };
            }
        };
        store.save(name, source);
        assertThat(store.stat(name).size()).isEqualTo(size);
        byte[] expected = digest(source.open());
        byte[] actual = store.load(name, ByteRange.all(), BlobStoreConformance::digest);
        assertThat(actual).isEqualTo(expected);
        byte[] tail = store.loadBytes(name, ByteRange.of(size - 1000, 1000));
        byte[] whole = source.open().readAllBytes();
        assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(whole, size - 1000, size));
    }

    /** Pseudo-random content that depends only on the position (SplitMix64 finalizer). */
    private static int byteAt(long position) {
        long z = position * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) ((z ^ (z >>> 31)) & 0xff);
    }

    private static byte[] digest(InputStream in) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
            }
            return sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void save_sourceThatFailsMidway_failsAndLeavesNoObject() throws Exception {
        BlobName name = pack(3);
        assertThatThrownBy(() -> store.save(name, failingSource(1_000_000, 300_000)))
                .isInstanceOf(StoreException.class);
        assertThat(store.exists(name)).isFalse();
        assertThat(store.listAll(BlobType.PACK)).isEmpty();
    }

    @Test
    void save_sourceThatFailsMidway_keepsThePreviousContent() throws Exception {
        BlobName name = BlobName.of(BlobType.LEASE, "renewed");
        store.save(name, BlobSource.of(bytes(2000, 1)));
        assertThatThrownBy(() -> store.save(name, failingSource(100_000, 50_000))).isInstanceOf(StoreException.class);
        assertThat(store.loadBytes(name)).isEqualTo(bytes(2000, 1));
    }

    @Test
    void save_sourceShorterThanDeclared_failsPermanentlyAndLeavesNoObject() throws Exception {
        BlobName name = BlobName.of(BlobType.INDEX, "short");
        StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                () -> store.save(name, sourceOfLength(bytes(100, 1), 200)));
        assertThat(e.isPermanent()).isTrue();
        assertThat(store.exists(name)).isFalse();
    }

    @Test
    void save_sourceLongerThanDeclared_failsPermanentlyAndLeavesNoObject() throws Exception {
        BlobName name = BlobName.of(BlobType.INDEX, "long");
        StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                () -> store.save(name, sourceOfLength(bytes(300, 1), 200)));
        assertThat(e.isPermanent()).isTrue();
        assertThat(store.exists(name)).isFalse();
    }

    // --- ranged loads -------------------------------------------------------------------

    @Test
    void load_ranges_returnExactlyThoseBytes() throws Exception {
        BlobName name = pack(5);
        byte[] content = bytes(100_000, 5);
        store.save(name, BlobSource.of(content));
        long[][] ranges = {{0, 1}, {0, 100_000}, {1, 99_999}, {99_999, 1}, {12_345, 54_321}, {50_000, 0}, {100_000, 0}};
        for (long[] r : ranges) {
            byte[] got = store.loadBytes(name, ByteRange.of(r[0], r[1]));
            assertThat(got).as("range %d+%d", r[0], r[1])
                    .isEqualTo(java.util.Arrays.copyOfRange(content, (int) r[0], (int) (r[0] + r[1])));
        }
        assertThat(store.loadBytes(name, ByteRange.from(99_000)))
                .isEqualTo(java.util.Arrays.copyOfRange(content, 99_000, 100_000));
        assertThat(store.loadBytes(name, ByteRange.from(100_000))).isEmpty();
    }

    @Test
    void load_rangeBeyondTheEnd_failsPermanently() throws Exception {
        BlobName name = pack(6);
        store.save(name, BlobSource.of(bytes(1000, 6)));
        for (ByteRange range : List.of(ByteRange.of(900, 200), ByteRange.of(1000, 1), ByteRange.of(5000, 10), ByteRange.from(1001))) {
            StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                    () -> store.loadBytes(name, range), "range " + range);
            assertThat(e.isPermanent()).as("range %s is permanent, got %s", range, e).isTrue();
            assertThat(e.isNotFound()).isFalse();
        }
    }

    @Test
    void load_missingObject_failsWithNotFound() {
        StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                () -> store.loadBytes(pack(99)));
        assertThat(e.isNotFound()).isTrue();
        StoreException ranged = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                () -> store.loadBytes(pack(99), ByteRange.of(10, 10)));
        assertThat(ranged.isNotFound()).isTrue();
    }

    @Test
    void load_readerException_propagatesUnchanged() throws Exception {
        BlobName name = BlobName.of(BlobType.SNAPSHOT, "s1");
        store.save(name, BlobSource.of(bytes(10, 1)));
        IOException mine = new IOException("format says no");
        assertThatThrownBy(() -> store.load(name, ByteRange.all(), in -> {
            throw mine;
        })).isSameAs(mine);
    }

    // --- stat, exists, delete ----------------------------------------------------------------

    @Test
    void stat_reportsTheSize_andMissingIsNotFound() throws Exception {
        BlobName name = BlobName.of(BlobType.CONFIG, "vault");
        store.save(name, BlobSource.of(bytes(777, 1)));
        assertThat(store.stat(name)).isEqualTo(new BlobInfo(name, 777));
        StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                () -> store.stat(BlobName.of(BlobType.CONFIG, "other")));
        assertThat(e.isNotFound()).isTrue();
    }

    @Test
    void exists_followsSaveAndDelete() throws Exception {
        BlobName name = BlobName.of(BlobType.SNAPSHOT, "snap-1");
        assertThat(store.exists(name)).isFalse();
        store.save(name, BlobSource.of(bytes(10, 1)));
        assertThat(store.exists(name)).isTrue();
        store.delete(name);
        assertThat(store.exists(name)).isFalse();
    }

    @Test
    void delete_removesOnlyThatObject_andIsIdempotent() throws Exception {
        BlobName a = pack(10);
        BlobName b = pack(11);
        store.save(a, BlobSource.of(bytes(10, 1)));
        store.save(b, BlobSource.of(bytes(10, 2)));
        store.delete(a);
        store.delete(a);
        store.delete(pack(12));
        assertThat(names(BlobType.PACK)).containsExactly(b);
        StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, () -> store.loadBytes(a));
        assertThat(e.isNotFound()).isTrue();
    }

    // --- listing --------------------------------------------------------------------------

    @Test
    void list_emptyStore_reportsNothing() throws Exception {
        for (BlobType type : BlobType.values()) {
            assertThat(store.listAll(type)).as("listing of %s", type).isEmpty();
        }
    }

    @Test
    void list_manyObjectsAcrossFanOutFolders_reportsEachOnceWithItsSize() throws Exception {
        int count = manyObjectsCount();
        Set<BlobInfo> expected = new java.util.HashSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        // The subject is the listing. The saves go through the retry decorator every command uses:
        // a test server under four concurrent writers may drop a connection, a transient error by contract.
        BlobStore writer = new org.ciphersync.vault.store.decorator.RetryingBlobStore(store,
                org.ciphersync.vault.store.decorator.RetryPolicy.defaults());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                BlobName name = pack(1000 + i);
                int size = i % 97;
                expected.add(new BlobInfo(name, size));
                int seed = i;
                futures.add(pool.submit(() -> {
                    writer.save(name, BlobSource.of(bytes(size, seed)));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<BlobInfo> listed = store.listAll(BlobType.PACK);
        assertThat(listed).hasSize(count);
        assertThat(Set.copyOf(listed)).isEqualTo(expected);
        assertThat(store.listAll(BlobType.INDEX)).isEmpty();
    }

    @Test
    void concurrentSaves_ofDifferentNames_allSucceedAndAreIntact() throws Exception {
        int threads = 8;
        int perThread = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int seed = thread * 100 + i;
                        store.save(BlobName.of(BlobType.INDEX, "idx-" + seed), BlobSource.of(bytes(50_000 + seed, seed)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.listAll(BlobType.INDEX)).hasSize(threads * perThread);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                int seed = t * 100 + i;
                assertThat(store.loadBytes(BlobName.of(BlobType.INDEX, "idx-" + seed))).isEqualTo(bytes(50_000 + seed, seed));
            }
        }
    }
}
