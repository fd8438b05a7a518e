package org.ciphersync.vault.store.memory;

import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreConformance;

/** The in-memory store meets the whole contract. */
class MemoryBlobStoreTest extends BlobStoreConformance {
    @Override
    protected BlobStore newStore() {
        return new MemoryBlobStore("conformance");
    }
}
