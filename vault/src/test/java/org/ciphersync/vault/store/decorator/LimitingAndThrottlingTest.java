package org.ciphersync.vault.store.decorator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.StoreException;
import org.ciphersync.vault.store.memory.MemoryBlobStore;
import org.junit.jupiter.api.Test;

class LimitingAndThrottlingTest {

    /** Counts how many saves run at the same moment. */
    private static final class Gauge extends ForwardingBlobStore {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();

        Gauge(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public void save(BlobName name, BlobSource source) throws StoreException {
            int now = running.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(5);
                super.save(name, source);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @Test
    void limitingStore_neverRunsMoreThanItsConnectionsAtOnce() throws Exception {
        Gauge gauge = new Gauge(new MemoryBlobStore());
        LimitingBlobStore store = new LimitingBlobStore(gauge, 3);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                BlobName name = BlobName.of(BlobType.INDEX, "i" + i);
                futures.add(pool.submit(() -> {
                    store.save(name, BlobSource.of(new byte[10]));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(gauge.peak.get()).isBetween(2, 3);
        assertThat(store.listAll(BlobType.INDEX)).hasSize(48);
        assertThat(store.inUse()).isZero();
    }

    @Test
    void throttledStore_keepsUploadsAndDownloadsNearTheLimit() throws Exception {
        ThrottledBlobStore store = new ThrottledBlobStore(new MemoryBlobStore(), 1_000_000, 2_000_000);
        BlobName name = BlobName.of(BlobType.PACK, "ab");
        // The bucket starts full (one second's worth), so 1.5 MB takes about half a second.
        long started = System.nanoTime();
        store.save(name, BlobSource.of(new byte[1_500_000]));
        long uploadMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        assertThat(store.loadBytes(name)).hasSize(1_500_000);
        long downloadMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(uploadMillis).isBetween(400L, 1500L);
        assertThat(downloadMillis).isLessThan(uploadMillis);
    }

    @Test
    void decorate_composesRetryOutsideLoggingOutsideLimitOutsideThrottle() {
        BlobStore raw = new MemoryBlobStore();
        BlobStore decorated = BlobStores.decorate(raw, StoreOptions.defaults().withBandwidth(1000, 0).withConnections(2));
        assertThat(decorated).isInstanceOf(RetryingBlobStore.class);
        BlobStore logging = ((ForwardingBlobStore) decorated).delegate();
        assertThat(logging).isInstanceOf(LoggingBlobStore.class);
        BlobStore limiting = ((ForwardingBlobStore) logging).delegate();
        assertThat(limiting).isInstanceOf(LimitingBlobStore.class);
        assertThat(((LimitingBlobStore) limiting).connections()).isEqualTo(2);
        BlobStore throttled = ((ForwardingBlobStore) limiting).delegate();
        assertThat(throttled).isInstanceOf(ThrottledBlobStore.class);
        assertThat(((ForwardingBlobStore) throttled).delegate()).isSameAs(raw);
        assertThat(decorated.location()).isEqualTo(raw.location());
    }

    @Test
    void decorate_withoutLimits_usesTheBackendsConnectionCount() {
        BlobStore raw = new MemoryBlobStore();
        BlobStore decorated = BlobStores.decorate(raw, StoreOptions.defaults().withLogging(false).withRetry(RetryPolicy.none()));
        assertThat(decorated).isInstanceOf(LimitingBlobStore.class);
        assertThat(((LimitingBlobStore) decorated).connections()).isEqualTo(raw.capabilities().connections());
    }
}
