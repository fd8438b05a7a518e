package org.ciphersync.core.inventory;

/**
 * Totals of one inventory run over all nodes.
 *
 * @param files       file entries in the inventories
 * @param directories directory entries in the inventories
 * @param bytes       sum of the files' sizes
 * @param hashedFiles files fingerprinted by reading their content in this run (skipped ones excluded)
 * @param hashedBytes bytes read to compute fingerprints (including re-reads of changing files)
 * @param cacheHits   fingerprints taken from the inventory cache without reading content
 * @param skipped     entries left out, with a reason, over all nodes
 * @param elapsedNanos wall-clock time of the run
 */
public record InventoryStats(long files, long directories, long bytes, long hashedFiles, long hashedBytes,
                             long cacheHits, long skipped, long elapsedNanos) {
}
