package org.ciphersync.vault.store.decorator;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;
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
 * Logs every operation with its duration through {@link System.Logger} (logger
 * {@code org.ciphersync.vault.store}): successes and not-found at DEBUG, other failures at
 * WARNING. Logs only blob names (content ids, never content), sizes and the redacted location.
 */
public final class LoggingBlobStore extends ForwardingBlobStore {

    private final System.Logger log;

    public LoggingBlobStore(BlobStore delegate) {
        this(delegate, System.getLogger("org.ciphersync.vault.store"));
    }

    public LoggingBlobStore(BlobStore delegate, System.Logger log) {
        super(delegate);
        this.log = log;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T logged(String what, Call<T> call) throws IOException {
        long started = System.nanoTime();
        try {
            T result = call.run();
            log.log(Level.DEBUG, () -> what + " ok in " + millis(started) + " ms");
            return result;
        } catch (StoreException e) {
            log.log(e.isNotFound() ? Level.DEBUG : Level.WARNING,
                    () -> what + " failed (" + e.kind() + ") in " + millis(started) + " ms: " + e.getMessage());
            throw e;
        } catch (IOException | RuntimeException e) {
            log.log(Level.DEBUG, () -> what + " failed in " + millis(started) + " ms: " + e);
            throw e;
        }
    }

    private <T> T loggedStore(String what, Call<T> call) throws StoreException {
        try {
            return logged(what, call);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw StoreException.permanent(e.getMessage(), e);
        }
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public void create() throws StoreException {
        loggedStore("create " + location(), () -> {
            delegate.create();
            return null;
        });
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        loggedStore("save " + name + " (" + source.length() + " bytes)", () -> {
            delegate.save(name, source);
            return null;
        });
    }

    @Override
    public boolean saveIfAbsent(BlobName name, BlobSource source) throws StoreException {
        return loggedStore("save if absent " + name + " (" + source.length() + " bytes)", () -> delegate.saveIfAbsent(name, source));
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        return logged("load " + name + " " + range, () -> delegate.load(name, range, reader));
    }

    @Override
    public BlobInfo stat(BlobName name) throws StoreException {
        return loggedStore("stat " + name, () -> delegate.stat(name));
    }

    @Override
    public void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException {
        AtomicLong count = new AtomicLong();
        long started = System.nanoTime();
        loggedStore("list " + type.folder(), () -> {
            delegate.list(type, info -> {
                count.incrementAndGet();
                consumer.accept(info);
            });
            return null;
        });
        log.log(Level.DEBUG, () -> "list " + type.folder() + " reported " + count.get() + " objects in " + millis(started) + " ms");
    }

    @Override
    public void delete(BlobName name) throws StoreException {
        loggedStore("delete " + name, () -> {
            delegate.delete(name);
            return null;
        });
    }

    @Override
    public void close() throws StoreException {
        loggedStore("close " + location(), () -> {
            delegate.close();
            return null;
        });
    }
}
