package org.ciphersync.vault.backend.s3;

import java.util.Set;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreFactory;
import org.ciphersync.vault.store.StoreException;

/** Opens {@link S3BlobStore}s for {@code s3://bucket/prefix} locations. */
public final class S3StoreFactory implements BlobStoreFactory {

    @Override
    public Set<String> schemes() {
        return Set.of("s3");
    }

    @Override
    public BlobStore open(String location, BackendOptions options) throws StoreException {
        return new S3BlobStore(S3Config.parse(location, options));
    }

    @Override
    public String redact(String location) {
        return BlobStoreFactory.redactUserInfo(location);
    }
}
