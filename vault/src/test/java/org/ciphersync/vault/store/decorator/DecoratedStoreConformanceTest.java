package org.ciphersync.vault.store.decorator;

import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreConformance;
import org.ciphersync.vault.store.memory.MemoryBlobStore;

/** The full decorator stack keeps the contract. */
class DecoratedStoreConformanceTest extends BlobStoreConformance {
    @Override
    protected BlobStore newStore() {
        return BlobStores.decorate(new MemoryBlobStore("decorated"),
                StoreOptions.defaults().withBandwidth(1L << 40, 1L << 40));
    }
}
