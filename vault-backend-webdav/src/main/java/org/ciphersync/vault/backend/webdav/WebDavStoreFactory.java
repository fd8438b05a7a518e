package org.ciphersync.vault.backend.webdav;

import java.util.Set;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreFactory;
import org.ciphersync.vault.store.StoreException;

/** Opens {@link WebDavBlobStore}s for {@code webdav://} and {@code webdavs://} locations. */
public final class WebDavStoreFactory implements BlobStoreFactory {

    @Override
    public Set<String> schemes() {
        return Set.of("webdav", "webdavs");
    }

    @Override
    public BlobStore open(String location, BackendOptions options) throws StoreException {
        return new WebDavBlobStore(WebDavConfig.parse(location, options));
    }

    @Override
    public String redact(String location) {
        return BlobStoreFactory.redactUserInfo(location);
    }
}
