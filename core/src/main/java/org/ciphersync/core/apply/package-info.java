/**
 * Apply (S11): performs a consistent plan on the nodes' {@link org.ciphersync.core.fs.FileTree}s.
 *
 * <p>Phases, in order: (1) conflict renames (the losing version gets its conflict name on its
 * node); (2) deletions, deepest first; (3) directory creations, shallowest first; (4) file copies
 * in parallel on a pool of {@code threads} writers (concurrent fsyncs share journal commits);
 * (5) date-only copies; (6) dates of created directories, deepest first (writing into a
 * directory changes its date); (7) one fsync per touched directory, in parallel.
 *
 * <p>A file copy: re-check the target against the inventory (else "changed since the inventory",
 * skipped) and the source (size, mtime); write {@code .ciphersync.tmp.<random>} in the target
 * folder while fingerprinting the bytes as they are written (the same content-defined chunking as
 * the inventory), compare with the inventory's fingerprint when there is one and re-check the
 * source's size and mtime (else skipped: it changed during the copy); set mtime and permissions on
 * the temporary file; fsync it; verify (its size always; for files up to 8 MiB also a read-back
 * fingerprint — cheap, as the bytes are in the page cache); re-check the target once more; move an
 * existing target into the versions area ({@link org.ciphersync.core.apply.VersionsArea}); rename
 * the temporary file into place.
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
