/**
 * Up-sync, preview, down-sync and restore (V4 manual trigger, V5, V8, V9).
 *
 * <p>Up-sync reads each changed file once on one thread (FastCDC chunking, SHA-256, keyed chunk
 * ids) and compresses, seals and packs new chunks on a second thread; it writes packs, then the
 * index object, then the commit. Down-sync decisions are a pure function
 * ({@link org.ciphersync.vault.sync.DownPlanner}) of the merged state, the last synchronized state
 * and the disk, shared by preview and down-sync; applying writes temp files, verifies them against
 * the recorded content hash and renames them, keeping replaced and deleted files in the versions
 * area. Guards: per-user (V8), mass delete, rollback.
 */
package org.ciphersync.vault.sync;
