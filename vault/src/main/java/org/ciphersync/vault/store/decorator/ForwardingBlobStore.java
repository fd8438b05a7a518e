package org.ciphersync.vault.store.decorator;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;

import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobReader;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.Capabilities;
import org.ciphersync.vault.store.StoreException;

/** A {@link BlobStore} that passes every call to another one; the base of all decorators. */
public abstract class ForwardingBlobStore implements BlobStore {

    protected final BlobStore delegate;

    protected ForwardingBlobStore(BlobStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate == null");
    }

    /** The wrapped store. */
    public BlobStore delegate() {
        return delegate;
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    /** One delegated operation. */
    @FunctionalInterface
    protected interface Operation<T> {
        T run() throws IOException;
    }

    /**
     * Runs one delegated operation. {@code create}, {@code save}, {@code saveIfAbsent}, {@code load}, {@code stat},
     * {@code list} and {@code delete} all go through here, so a decorator that acts around every
     * call (a connection limit, error translation) overrides this one method; the default just
     * runs the operation. Overrides MUST run {@code op} at most once and MUST let a
     * {@link StoreException} through unchanged.
     */
    protected <T> T around(Operation<T> op) throws IOException {
        return op.run();
    }

    /** {@link #around} for the operations whose contract throws only {@link StoreException}. */
    private <T> T aroundStore(Operation<T> op) throws StoreException {
        try {
            return around(op);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw StoreException.permanent(e.getMessage(), e);
        }
    }

    @Override
    public void create() throws StoreException {
        aroundStore(() -> {
            delegate.create();
            return null;
        });
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        aroundStore(() -> {
            delegate.save(name, source);
            return null;
        });
    }

    @Override
    public boolean saveIfAbsent(BlobName name, BlobSource source) throws StoreException {
        return aroundStore(() -> delegate.saveIfAbsent(name, source));
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        return around(() -> delegate.load(name, range, reader));
    }

    @Override
    public BlobInfo stat(BlobName name) throws StoreException {
        return aroundStore(() -> delegate.stat(name));
    }

    @Override
    public void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException {
        aroundStore(() -> {
            delegate.list(type, consumer);
            return null;
        });
    }

    @Override
    public void delete(BlobName name) throws StoreException {
        aroundStore(() -> {
            delegate.delete(name);
            return null;
        });
    }

    @Override
    public void close() throws StoreException {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + delegate + ")";
    }
}
