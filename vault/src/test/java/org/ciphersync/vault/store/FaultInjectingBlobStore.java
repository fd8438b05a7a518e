package org.ciphersync.vault.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.ciphersync.vault.store.decorator.ForwardingBlobStore;

/**
 * A test double that fails chosen operations with chosen kinds of {@link StoreException}s and
 * counts every call, wrapped around a real store. Exported with the test-jar for other modules.
 */
public final class FaultInjectingBlobStore extends ForwardingBlobStore {

    /** The operations that can fail. */
    public enum Op { CREATE, SAVE, LOAD, LOAD_MIDSTREAM, STAT, LIST, DELETE }

    private final Map<Op, ConcurrentLinkedDeque<StoreException.Kind>> faults = new EnumMap<>(Op.class);
    private final Map<Op, AtomicInteger> calls = new EnumMap<>(Op.class);
    private final Map<BlobType, AtomicInteger> outages = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile StoreException.Kind outageKind = StoreException.Kind.TRANSIENT;

    public FaultInjectingBlobStore(BlobStore delegate) {
        super(delegate);
        for (Op op : Op.values()) {
            faults.put(op, new ConcurrentLinkedDeque<>());
            calls.put(op, new AtomicInteger());
        }
    }

    /** The next {@code times} calls of {@code op} fail with {@code kind}. */
    public FaultInjectingBlobStore failNext(Op op, StoreException.Kind kind, int times) {
        for (int i = 0; i < times; i++) {
            faults.get(op).add(kind);
        }
        return this;
    }

    /**
     * After {@code successes} more saves of objects of {@code type}, every save of that type fails
     * with {@code kind} until {@link #heal()}: a server that goes away in the middle of an upload.
     */
    public FaultInjectingBlobStore failSavesAfter(BlobType type, int successes, StoreException.Kind kind) {
        outageKind = kind;
        outages.put(type, new AtomicInteger(successes));
        return this;
    }

    /** Ends every outage of {@link #failSavesAfter}. */
    public FaultInjectingBlobStore heal() {
        outages.clear();
        return this;
    }

    /** How often {@code op} was called (failed calls included). */
    public int calls(Op op) {
        return calls.get(op).get();
    }

    private void maybeFail(Op op) throws StoreException {
        calls.get(op).incrementAndGet();
        StoreException.Kind kind = faults.get(op).poll();
        if (kind != null) {
            throw new StoreException(kind, "injected " + kind + " failure of " + op);
        }
    }

    @Override
    public void create() throws StoreException {
        maybeFail(Op.CREATE);
        super.create();
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        maybeFailSave(name);
        super.save(name, source);
    }

    /** Fails like {@link #save} (counted as a save). */
    @Override
    public boolean saveIfAbsent(BlobName name, BlobSource source) throws StoreException {
        maybeFailSave(name);
        return super.saveIfAbsent(name, source);
    }

    private void maybeFailSave(BlobName name) throws StoreException {
        maybeFail(Op.SAVE);
        AtomicInteger left = outages.get(name.type());
        if (left != null && left.getAndDecrement() <= 0) {
            throw new StoreException(outageKind, "injected " + outageKind + " failure of SAVE " + name.type() + " (outage)");
        }
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        maybeFail(Op.LOAD);
        StoreException.Kind midstream = faults.get(Op.LOAD_MIDSTREAM).poll();
        if (midstream == null) {
            return super.load(name, range, reader);
        }
        calls.get(Op.LOAD_MIDSTREAM).incrementAndGet();
        return super.load(name, range, in -> reader.read(new InputStream() {
            boolean first = true;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (!first) {
                    throw new StoreException(midstream, "injected " + midstream + " failure in the middle of a load");
                }
                first = false;
                return in.read(b, off, Math.max(1, len / 2));
            }
        }));
    }

    @Override
    public BlobInfo stat(BlobName name) throws StoreException {
        maybeFail(Op.STAT);
        return super.stat(name);
    }

    @Override
    public void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException {
        calls.get(Op.LIST).incrementAndGet();
        StoreException.Kind kind = faults.get(Op.LIST).poll();
        if (kind == null) {
            super.list(type, consumer);
            return;
        }
        // Report part of the listing, then fail: a retry must not report those objects twice.
        int[] reported = {0};
        super.list(type, info -> {
            if (reported[0]++ < 2) {
                consumer.accept(info);
            }
        });
        throw new StoreException(kind, "injected " + kind + " failure of LIST after " + Math.min(2, reported[0]) + " objects");
    }

    @Override
    public void delete(BlobName name) throws StoreException {
        maybeFail(Op.DELETE);
        super.delete(name);
    }
}
