package org.ciphersync.vault.store.decorator;

import java.util.Objects;

/**
 * The cross-cutting behaviour {@link BlobStores#decorate} wraps around every backend.
 *
 * @param retry                  how transient failures are repeated
 * @param connections            concurrent operations; 0 takes the backend's
 *                               {@link org.ciphersync.vault.store.Capabilities#connections()}
 * @param uploadBytesPerSecond   upload cap, 0 for none
 * @param downloadBytesPerSecond download cap, 0 for none
 * @param logging                whether to log every operation
 */
public record StoreOptions(RetryPolicy retry, int connections, long uploadBytesPerSecond,
                           long downloadBytesPerSecond, boolean logging) {

    public StoreOptions {
        Objects.requireNonNull(retry, "retry == null");
        if (connections < 0) {
            throw new IllegalArgumentException("connections " + connections + " is negative");
        }
        if (uploadBytesPerSecond < 0 || downloadBytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth limits " + uploadBytesPerSecond + "/" + downloadBytesPerSecond
                    + " must not be negative");
        }
    }

    /** Default retries, the backend's connection count, no bandwidth limit, logging on. */
    public static StoreOptions defaults() {
        return new StoreOptions(RetryPolicy.defaults(), 0, 0, 0, true);
    }

    public StoreOptions withRetry(RetryPolicy retry) {
        return new StoreOptions(retry, connections, uploadBytesPerSecond, downloadBytesPerSecond, logging);
    }

    public StoreOptions withConnections(int connections) {
        return new StoreOptions(retry, connections, uploadBytesPerSecond, downloadBytesPerSecond, logging);
    }

    public StoreOptions withBandwidth(long uploadBytesPerSecond, long downloadBytesPerSecond) {
        return new StoreOptions(retry, connections, uploadBytesPerSecond, downloadBytesPerSecond, logging);
    }

    public StoreOptions withLogging(boolean logging) {
        return new StoreOptions(retry, connections, uploadBytesPerSecond, downloadBytesPerSecond, logging);
    }
}
