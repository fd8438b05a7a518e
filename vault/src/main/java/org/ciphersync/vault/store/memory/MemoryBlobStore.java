package org.ciphersync.vault.store.memory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobReader;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.Capabilities;
import org.ciphersync.vault.store.SaveStream;
import org.ciphersync.vault.store.StoreException;

/**
 * A {@link BlobStore} in the heap: the reference implementation of the contract, for tests and
 * for the vault engine's property tests. Saves read the whole source before publishing the
 * object with one map write, so they are atomic; everything is consistent immediately.
 */
public final class MemoryBlobStore implements BlobStore {

    private static final Capabilities CAPABILITIES =
            new Capabilities(true, true, true, Integer.MAX_VALUE - 16, false, 16);

    private final String label;
    private final Map<BlobName, byte[]> objects = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** An empty store printed as {@code memory:<label>}. */
    public MemoryBlobStore(String label) {
        this.label = label == null ? "" : label;
    }

    /** An empty store printed as {@code memory:}. */
    public MemoryBlobStore() {
        this("");
    }

    @Override
    public String location() {
        return "memory:" + label;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public void create() throws StoreException {
        checkOpen();
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        checkOpen();
        byte[] content;
        try (SaveStream in = SaveStream.open(name, source)) {
            content = in.readAllChecked();
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw StoreException.permanent("reading the content for " + name + " failed: " + e.getMessage(), e);
        }
        objects.put(name, content);
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        checkOpen();
        byte[] content = objects.get(name);
        if (content == null) {
            throw StoreException.notFound(name, location());
        }
        long end = range.toEnd() ? content.length : range.end();
        if (range.offset() > content.length || end > content.length) {
            throw StoreException.permanent("range " + range + " of " + name + " exceeds its size " + content.length, null);
        }
        try (InputStream in = new ByteArrayInputStream(content, (int) range.offset(), (int) (end - range.offset()))) {
            return reader.read(in);
        }
    }

    @Override
    public BlobInfo stat(BlobName name) throws StoreException {
        checkOpen();
        byte[] content = objects.get(name);
        if (content == null) {
            throw StoreException.notFound(name, location());
        }
        return new BlobInfo(name, content.length);
    }

    @Override
    public void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException {
        checkOpen();
        for (Map.Entry<BlobName, byte[]> e : objects.entrySet()) {
            if (e.getKey().type() == type) {
                consumer.accept(new BlobInfo(e.getKey(), e.getValue().length));
            }
        }
    }

    @Override
    public void delete(BlobName name) throws StoreException {
        checkOpen();
        objects.remove(name);
    }

    @Override
    public void close() {
        closed.set(true);
    }

    private void checkOpen() throws StoreException {
        if (closed.get()) {
            throw StoreException.permanent(location() + " is closed", null);
        }
    }

    @Override
    public String toString() {
        return location();
    }
}
