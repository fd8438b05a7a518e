package org.ciphersync.core.apply;

/**
 * Progress of an apply. Calls come from the writer threads, possibly concurrently:
 * implementations MUST be thread-safe and quick.
 */
public interface ApplyListener {
    ApplyListener NOOP = new ApplyListener() { };

    /** One action finished (in whatever outcome); totals so far and overall. */
    default void itemDone(ItemResult result, long itemsDone, long itemsTotal, long bytesDone, long bytesTotal) {
    }
}
