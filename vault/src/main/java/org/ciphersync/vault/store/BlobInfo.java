package org.ciphersync.vault.store;

import java.util.Objects;

/**
 * What a store knows about one stored object.
 *
 * @param name the object's address
 * @param size its length in bytes, {@code >= 0}
 */
public record BlobInfo(BlobName name, long size) {
    public BlobInfo {
        Objects.requireNonNull(name, "name == null");
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " of " + name + " is negative");
        }
    }
}
