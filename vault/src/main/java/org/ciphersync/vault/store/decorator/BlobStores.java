package org.ciphersync.vault.store.decorator;

import java.util.Objects;

import org.ciphersync.vault.store.BlobStore;

/** The one place where the decorators are composed around a backend. */
public final class BlobStores {

    private BlobStores() {
    }

    /**
     * Wraps {@code store}, from the outside in:
     * <ol>
     *   <li>{@link RetryingBlobStore}: outermost, so that waiting for the next attempt holds no
     *       connection slot and every attempt is logged and limited like a fresh call;</li>
     *   <li>{@link LoggingBlobStore} (if enabled): one line per attempt;</li>
     *   <li>{@link LimitingBlobStore}: at most {@code connections} concurrent operations;</li>
     *   <li>{@link ThrottledBlobStore} (if a limit is set): bandwidth caps on the bytes that
     *       actually cross the wire;</li>
     *   <li>the backend.</li>
     * </ol>
     */
    public static BlobStore decorate(BlobStore store, StoreOptions options) {
        Objects.requireNonNull(store, "store == null");
        Objects.requireNonNull(options, "options == null");
        BlobStore s = store;
        if (options.uploadBytesPerSecond() > 0 || options.downloadBytesPerSecond() > 0) {
            s = new ThrottledBlobStore(s, options.uploadBytesPerSecond(), options.downloadBytesPerSecond());
        }
        int connections = options.connections() > 0 ? options.connections() : store.capabilities().connections();
        s = new LimitingBlobStore(s, connections);
        if (options.logging()) {
            s = new LoggingBlobStore(s);
        }
        if (options.retry().maxAttempts() > 1) {
            s = new RetryingBlobStore(s, options.retry());
        }
        return s;
    }
}
