package org.ciphersync.vault.store.decorator;

import java.io.IOException;
import java.util.concurrent.Semaphore;

import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.StoreException;

/**
 * Lets at most {@code connections} operations run on the wrapped store at once (restic's
 * {@code sema} backend). A load holds its slot while its reader runs, because the reader is
 * what consumes the connection.
 */
public final class LimitingBlobStore extends ForwardingBlobStore {

    private final Semaphore slots;
    private final int connections;

    public LimitingBlobStore(BlobStore delegate, int connections) {
        super(delegate);
        if (connections < 1) {
            throw new IllegalArgumentException("connections " + connections + " is less than 1");
        }
        this.connections = connections;
        this.slots = new Semaphore(connections, true);
    }

    /** The configured limit. */
    public int connections() {
        return connections;
    }

    /** Operations currently running (for tests and status displays). */
    public int inUse() {
        return connections - slots.availablePermits();
    }

    /** Every operation waits for a free slot, runs, and gives the slot back. */
    @Override
    protected <T> T around(Operation<T> op) throws IOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.permanent("interrupted while waiting for a free connection to " + location(), e);
        }
        try {
            return op.run();
        } finally {
            slots.release();
        }
    }
}
