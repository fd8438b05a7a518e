package org.ciphersync.vault.backend.sftp;

import java.util.Set;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreFactory;
import org.ciphersync.vault.store.StoreException;

/** Opens {@link SftpBlobStore}s for {@code sftp://} locations. */
public final class SftpStoreFactory implements BlobStoreFactory {

    @Override
    public Set<String> schemes() {
        return Set.of("sftp");
    }

    @Override
    public BlobStore open(String location, BackendOptions options) throws StoreException {
        return new SftpBlobStore(SftpConfig.parse(location, options));
    }

    @Override
    public String redact(String location) {
        return SftpConfig.redact(location);
    }
}
