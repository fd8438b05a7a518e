/**
 * The storage contract of the vault: a {@link org.ciphersync.vault.store.BlobStore} is a folder of
 * named objects on some backend (local folder, SFTP, S3, WebDAV, any rclone remote).
 *
 * <h2>Why a narrow contract</h2>
 * The vault format (packs, index, snapshots, chain) needs only whole-object writes, ranged reads,
 * listings and deletes, so every backend implements the same dozen methods and passes the same
 * conformance suite ({@code BlobStoreConformance} in the test sources). Modelled on restic's
 * {@code backend.Backend}.
 *
 * <h2>Invariants every backend keeps</h2>
 * <ul>
 *   <li><b>Atomic saves</b>: readers see the old object or the complete new one, never a prefix;
 *       a failing save leaves nothing new visible. Temporary names start with {@code '.'}, which
 *       {@link org.ciphersync.vault.store.BlobName} forbids, so listings never show them.</li>
 *   <li><b>Exact lengths</b>: {@link org.ciphersync.vault.store.SaveStream} refuses sources that
 *       run short or long; {@link org.ciphersync.vault.store.LoadStream} refuses short reads.</li>
 *   <li><b>Idempotence</b>: create, save, load, delete (of a missing object too) and list can be
 *       repeated, which is what makes the retry decorator safe.</li>
 *   <li><b>Classified errors</b>: {@link org.ciphersync.vault.store.StoreException} is
 *       {@code NOT_FOUND}, {@code PERMANENT} or {@code TRANSIENT}; only the backend knows which,
 *       only transient ones are retried.</li>
 *   <li><b>Hostile storage</b>: names read back are re-validated, sizes checked, foreign files skipped.</li>
 *   <li><b>No secrets in locations</b>: {@code location()} and every factory's {@code redact} print
 *       without passwords, keys or tokens.</li>
 * </ul>
 *
 * <h2>Layout</h2>
 * {@code config/ keys/ leases/ snapshots/ index/ log/ probe/} hold objects directly;
 * {@code data/ab/ab12…} holds packs in 256 fan-out folders named by the first two hex digits.
 *
 * <h2>Wiring</h2>
 * Backends register a {@link org.ciphersync.vault.store.BlobStoreFactory} per URI scheme in a
 * {@link org.ciphersync.vault.store.BlobStoreRegistry}; the composition root opens the raw store
 * and wraps it once with {@code decorator.BlobStores.decorate}.
 */
package org.ciphersync.vault.store;
