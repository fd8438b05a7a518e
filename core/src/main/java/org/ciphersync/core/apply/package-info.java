/**
 * Apply (S11): performs a consistent plan on the nodes' {@link org.ciphersync.core.fs.FileTree}s.
 *
 * <p>Phases, in order: (1) conflict renames (the losing version gets its conflict name on its
 * node); (2) deletions, deepest first; (3) directory creations, shallowest first; (4) file copies
 * in batches: the batch's files are written to temporary names on a pool of {@code threads}
 * writers, then fsynced concurrently on a pool of {@code syncThreads}, then renamed into place (no
 * file is renamed before its own fsync returned);
 * (5) date-only copies; (6) dates of created directories, deepest first (writing into a
 * directory changes its date); (7) one fsync per touched directory, in parallel.
 *
 * <p>A file copy: open the source; write {@code .ciphersync.tmp.<hex>} in the target folder while
 * fingerprinting the bytes as they are written (the same content-defined chunking as the
 * inventory); re-check the source's size and mtime against the inventory and compare the
 * fingerprint when the inventory has one (else skipped: it changed); set the mtime, stat the
 * temporary file once (size check; permission bits set only where they differ; the attributes the
 * item reports, which the rename keeps); fsync it; optionally read it back
 * ({@link org.ciphersync.core.apply.ApplyOptions#verifyRereadMaxBytes()}); re-check the target
 * against the inventory; move an existing target into the versions area
 * ({@link org.ciphersync.core.apply.VersionsArea}); rename the temporary file into place.
 *
 * <p>Invariants: no failure leaves a partial file under a final name (only whole, verified files
 * are renamed into place; a leftover temporary file is removed by the next run); nothing is
 * destroyed (overwritten and deleted items move to {@code .ciphersync/versions/}); every action
 * yields an {@link org.ciphersync.core.apply.ItemResult} and one item's failure never stops the
 * others; a directory is not deleted while something inside it failed.
 * {@link org.ciphersync.core.apply.StateAdvance} then advances the two-way state only for items
 * whose actions all succeeded.
 */
package org.ciphersync.core.apply;
