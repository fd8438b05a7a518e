package org.ciphersync.vault.store.decorator;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobReader;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.StoreException;

/**
 * Repeats calls that fail with a {@linkplain StoreException#isTransient() transient}
 * {@link StoreException}, with exponential back-off; {@code NOT_FOUND} and {@code PERMANENT}
 * errors and the reader's own exceptions pass through at once.
 *
 * <p>Repeating is safe because every operation of the contract is idempotent: a save re-opens its
 * {@link BlobSource}, a load calls the reader again from the first byte, a delete of a missing
 * object succeeds, and a repeated listing reports each object at most once to the consumer (as
 * restic's retry backend does).
 */
public final class RetryingBlobStore extends ForwardingBlobStore {

    /** Waits between attempts; replaced in tests to run without real sleeps. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final System.Logger LOG = System.getLogger(RetryingBlobStore.class.getName());

    private final RetryPolicy policy;
    private final Sleeper sleeper;

    public RetryingBlobStore(BlobStore delegate, RetryPolicy policy) {
        this(delegate, policy, d -> Thread.sleep(d.toMillis()));
    }

    public RetryingBlobStore(BlobStore delegate, RetryPolicy policy, Sleeper sleeper) {
        super(delegate);
        this.policy = Objects.requireNonNull(policy, "policy == null");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws IOException;
    }

    private <T> T retry(String what, Attempt<T> attempt) throws IOException {
        long started = System.nanoTime();
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (StoreException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                if (n >= policy.maxAttempts()) {
                    if (policy.maxAttempts() == 1) {
                        throw e;
                    }
                    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                    throw StoreException.transientFailure(e.getMessage() + " (gave up after " + n + " attempts in "
                            + seconds + " s; check the connection to " + location() + " and try again)", e);
                }
                Duration delay = jitter(policy.delayAfter(n));
                LOG.log(Level.INFO, "{0} failed (attempt {1} of {2}), retrying in {3} ms: {4}",
                        what, n, policy.maxAttempts(), delay.toMillis(), e.getMessage());
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(interrupted);
                    throw e;
                }
            }
        }
    }

    private static Duration jitter(Duration delay) {
        long millis = delay.toMillis();
        return millis == 0 ? delay : Duration.ofMillis(millis - ThreadLocalRandom.current().nextLong(millis / 5 + 1));
    }

    @Override
    public void create() throws StoreException {
        retryStore("create " + location(), () -> {
            delegate.create();
            return null;
        });
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        retryStore("save " + name, () -> {
            delegate.save(name, source);
            return null;
        });
    }

    /** A retry after an attempt that stored the object but lost the answer returns false (see {@link BlobStore#saveIfAbsent}). */
    @Override
    public boolean saveIfAbsent(BlobName name, BlobSource source) throws StoreException {
        return retryStore("save " + name, () -> delegate.saveIfAbsent(name, source));
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        return retry("load " + name + " " + range, () -> delegate.load(name, range, reader));
    }

    @Override
    public BlobInfo stat(BlobName name) throws StoreException {
        return retryStore("stat " + name, () -> delegate.stat(name));
    }

    @Override
    public void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException {
        Set<BlobName> reported = new HashSet<>();
        retryStore("list " + type.folder(), () -> {
            delegate.list(type, info -> {
                if (reported.add(info.name())) {
                    consumer.accept(info);
                }
            });
            return null;
        });
    }

    @Override
    public void delete(BlobName name) throws StoreException {
        retryStore("delete " + name, () -> {
            delegate.delete(name);
            return null;
        });
    }

    private <T> T retryStore(String what, Attempt<T> attempt) throws StoreException {
        try {
            return retry(what, attempt);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw StoreException.permanent(what + " failed: " + e.getMessage(), e);
        }
    }

}
