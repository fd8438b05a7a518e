package org.ciphersync.vault.store.decorator;

import java.io.IOException;
import java.io.InputStream;

import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobReader;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.StoreException;

/**
 * Caps the upload and download rates of all transfers through this store together (restic's
 * {@code --limit-upload}/{@code --limit-download}). A limit of 0 means unlimited.
 */
public final class ThrottledBlobStore extends ForwardingBlobStore {

    private final Bandwidth upload;
    private final Bandwidth download;

    /** Limits in bytes per second; 0 for no limit in that direction. */
    public ThrottledBlobStore(BlobStore delegate, long uploadBytesPerSecond, long downloadBytesPerSecond) {
        super(delegate);
        if (uploadBytesPerSecond < 0 || downloadBytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth limits " + uploadBytesPerSecond + "/" + downloadBytesPerSecond
                    + " must not be negative");
        }
        this.upload = uploadBytesPerSecond == 0 ? null : new Bandwidth(uploadBytesPerSecond);
        this.download = downloadBytesPerSecond == 0 ? null : new Bandwidth(downloadBytesPerSecond);
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        delegate.save(name, throttled(source));
    }

    @Override
    public boolean saveIfAbsent(BlobName name, BlobSource source) throws StoreException {
        return delegate.saveIfAbsent(name, throttled(source));
    }

    /** {@code source} read at the upload rate (itself when there is no limit). */
    private BlobSource throttled(BlobSource source) {
        if (upload == null) {
            return source;
        }
        return new BlobSource() {
            @Override
            public long length() {
                return source.length();
            }

            @Override
            public InputStream open() throws IOException {
                return upload.throttle(source.open());
            }
        };
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        if (download == null) {
            return delegate.load(name, range, reader);
        }
        return delegate.load(name, range, in -> reader.read(download.throttle(in)));
    }
}
