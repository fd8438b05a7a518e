/**
 * The Data Inventory (S8): what each data node holds, with content fingerprints.
 *
 * <p>{@link org.ciphersync.core.inventory.Inventory} scans every
 * {@link org.ciphersync.core.inventory.DataSource} through its
 * {@link org.ciphersync.core.fs.FileTree} in two phases: a metadata walk (filters applied
 * before descending, unsynchronizable entries reported as
 * {@link org.ciphersync.core.inventory.Skipped} with a reason), then parallel hashing of the
 * files the analysis mode needs. Fingerprints are remembered in an
 * {@link org.ciphersync.core.inventory.InventoryCache} keyed by path and valid only while
 * size, mtime and inode are unchanged, so re-inventorying an unchanged tree reads no content.
 *
 * <p>Invariants: entries are sorted in {@link org.ciphersync.core.path.RelPath} order and carry
 * only validated paths; the node's {@code .ciphersync/} folder is never listed; links are never
 * followed; a file whose content was read is reported with the size and mtime observed
 * unchanged around the read, else it is skipped as changed; a path reported as skipped (and
 * everything below a skipped directory) is unknown, not absent — callers MUST NOT plan
 * deletions or overwrites from its absence.
 */
package org.ciphersync.core.inventory;
