package org.ciphersync.vault.format;

import java.util.Objects;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.tree.BlobId;

/**
 * Where one blob lives: {@code length} sealed bytes at {@code offset} of {@code pack}, opening to
 * {@code rawLength} bytes of content.
 */
public record IndexEntry(BlobId id, BlobKind kind, BlobName pack, long offset, int length, int rawLength) {
    public IndexEntry {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(pack, "pack == null");
        if (offset < 0 || length <= 0 || rawLength < 0) {
            throw new IllegalArgumentException("index entry of " + id + " has offset " + offset + ", length " + length
                    + ", raw length " + rawLength);
        }
    }
}
