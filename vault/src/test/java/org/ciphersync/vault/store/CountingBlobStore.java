package org.ciphersync.vault.store;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.ciphersync.vault.store.decorator.ForwardingBlobStore;

/**
 * A test double that records every call made to a real store, in order: what a vault operation
 * costs in requests, whatever the backend (each call is one request on S3, one or two on WebDAV).
 * Exported with the test-jar for other modules.
 */
public final class CountingBlobStore extends ForwardingBlobStore {

    /** The operations of the contract. */
    public enum Op { CREATE, SAVE, SAVE_IF_ABSENT, LOAD, STAT, LIST, DELETE }

    /** One call: the operation, the type, and the object ({@code null} for create and list). */
    public record Call(Op op, BlobType type, BlobName name) {
        @Override
        public String toString() {
            return op + " " + (name != null ? name.path() : type == null ? "" : type.folder() + "/");
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    public CountingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    /** Every call since the last {@link #reset}, in the order they were made. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls that match {@code filter}. */
    public List<Call> calls(Predicate<Call> filter) {
        return calls.stream().filter(filter).toList();
    }

    /** Forgets the calls recorded so far. */
    public void reset() {
        calls.clear();
    }

    private void record(Op op, BlobType type, BlobName name) {
        calls.add(new Call(op, type, name));
    }

    @Override
    public void create() throws StoreException {
        record(Op.CREATE, null, null);
        super.create();
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        record(Op.SAVE, name.type(), name);
        super.save(name, source);
    }

    @Override
    public boolean saveIfAbsent(BlobName name, BlobSource source) throws StoreException {
        record(Op.SAVE_IF_ABSENT, name.type(), name);
        return super.saveIfAbsent(name, source);
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        record(Op.LOAD, name.type(), name);
        return super.load(name, range, reader);
    }

    @Override
    public BlobInfo stat(BlobName name) throws StoreException {
        record(Op.STAT, name.type(), name);
        return super.stat(name);
    }

    @Override
    public void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException {
        record(Op.LIST, type, null);
        super.list(type, consumer);
    }

    @Override
    public void delete(BlobName name) throws StoreException {
        record(Op.DELETE, name.type(), name);
        super.delete(name);
    }
}
