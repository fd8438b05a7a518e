package org.ciphersync.vault.store.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreFactory;
import org.ciphersync.vault.store.StoreException;

/** Opens {@link LocalBlobStore}s for plain paths and {@code file:} locations. */
public final class LocalStoreFactory implements BlobStoreFactory {

    @Override
    public Set<String> schemes() {
        return Set.of("file");
    }

    @Override
    public BlobStore open(String location, BackendOptions options) throws StoreException {
        return new LocalBlobStore(toPath(location));
    }

    /** The folder of a plain path, {@code file:/abs/path} or {@code file:///abs/path} location. */
    public static Path toPath(String location) throws StoreException {
        try {
            if (location.regionMatches(true, 0, "file://", 0, 7)) {
                return Path.of(URI.create(location));
            }
            if (location.regionMatches(true, 0, "file:", 0, 5)) {
                return Path.of(location.substring(5));
            }
            return Path.of(location);
        } catch (IllegalArgumentException e) {
            throw StoreException.permanent("'" + location + "' is not a folder path; use /path/to/vault or file:///path/to/vault", e);
        }
    }

    @Override
    public String redact(String location) {
        return location == null ? "" : location;
    }
}
