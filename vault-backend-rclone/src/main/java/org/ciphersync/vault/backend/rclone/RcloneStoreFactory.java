package org.ciphersync.vault.backend.rclone;

import java.util.Set;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreFactory;
import org.ciphersync.vault.store.StoreException;

/** Opens {@link RcloneBlobStore}s for {@code rclone:REMOTE:path} locations; each store starts its own rclone child. */
public final class RcloneStoreFactory implements BlobStoreFactory {

    @Override
    public Set<String> schemes() {
        return Set.of("rclone");
    }

    @Override
    public BlobStore open(String location, BackendOptions options) throws StoreException {
        return RcloneBlobStore.start(RcloneConfig.parse(location, options), options);
    }

    @Override
    public String redact(String location) {
        return RcloneConfig.redact(location);
    }
}
