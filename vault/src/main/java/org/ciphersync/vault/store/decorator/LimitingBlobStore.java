package org.ciphersync.vault.store.decorator;

import java.io.IOException;
import java.util.concurrent.Semaphore;
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

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T limited(Call<T> call) throws IOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.permanent("interrupted while waiting for a free connection to " + location(), e);
        }
        try {
            return call.run();
        } finally {
            slots.release();
        }
    }

    private <T> T limitedStore(Call<T> call) throws StoreException {
        try {
            return limited(call);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw StoreException.permanent(e.getMessage(), e);
        }
    }

    @Override
    public void create() throws StoreException {
        limitedStore(() -> {
            delegate.create();
            return null;
        });
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        limitedStore(() -> {
            delegate.save(name, source);
            return null;
        });
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        return limited(() -> delegate.load(name, range, reader));
    }

    @Override
    public BlobInfo stat(BlobName name) throws StoreException {
        return limitedStore(() -> delegate.stat(name));
    }

    @Override
    public void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException {
        limitedStore(() -> {
            delegate.list(type, consumer);
            return null;
        });
    }

    @Override
    public void delete(BlobName name) throws StoreException {
        limitedStore(() -> {
            delegate.delete(name);
            return null;
        });
    }
}
