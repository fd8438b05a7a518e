package org.ciphersync.core.inventory;

import java.util.Collection;
import java.util.Map;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.fs.FileAttrs;
import org.ciphersync.core.path.RelPath;

/**
 * Remembers fingerprints between runs so that an unchanged file is never read again. A cached
 * fingerprint is valid for a file only while its size, modification time and file key (inode)
 * are all unchanged ({@link Cached#validFor}).
 *
 * <p>A cache is an optimization: implementations MUST NOT throw from {@link #load} or
 * {@link #save} (a broken cache is logged, discarded and rebuilt, and the run goes on as if it
 * were empty), and MUST return only entries that are internally consistent (lengths sum to the
 * size, hashes of the right length, file hash over the chunk hashes).
 */
public interface InventoryCache extends AutoCloseable {

    /** Caches nothing. */
    InventoryCache NONE = new InventoryCache() {
        @Override
        public Map<RelPath, Cached> load(String root, ChunkerParams params) {
            return Map.of();
        }

        @Override
        public void save(String root, ChunkerParams params, Collection<InventoryEntry> entries) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * The cached fingerprints of the node root {@code root} (an identifier such as the absolute
     * folder path) computed with {@code params}; empty when nothing is cached or the cache is
     * unusable.
     */
    Map<RelPath, Cached> load(String root, ChunkerParams params);

    /**
     * Makes the cache of {@code root} hold exactly the file entries of {@code entries} that carry
     * a fingerprint: rows of other paths are removed, changed rows replaced.
     */
    void save(String root, ChunkerParams params, Collection<InventoryEntry> entries);

    /** Releases files and connections; never throws. */
    @Override
    void close();

    /**
     * One cached fingerprint with the metadata it was computed for.
     *
     * @param fileKey inode identity, or -1 where the tree has none
     */
    record Cached(long size, long mtimeNanos, long fileKey, Fingerprint fingerprint) {
        /** Whether the fingerprint still describes a file with these attributes. */
        public boolean validFor(FileAttrs a) {
            return a.isFile() && a.size() == size && a.mtimeNanos() == mtimeNanos && a.fileKey() == fileKey
                    && fingerprint.size() == size;
        }

        public boolean validFor(InventoryEntry e) {
            return e.isFile() && e.size() == size && e.mtimeNanos() == mtimeNanos && e.fileKey() == fileKey
                    && fingerprint.size() == size;
        }
    }
}
