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

    @Override
    public void create() throws StoreException {
        delegate.create();
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        delegate.save(name, source);
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        return delegate.load(name, range, reader);
    }

    @Override
    public BlobInfo stat(BlobName name) throws StoreException {
        return delegate.stat(name);
    }

    @Override
    public void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException {
        delegate.list(type, consumer);
    }

    @Override
    public void delete(BlobName name) throws StoreException {
        delegate.delete(name);
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
