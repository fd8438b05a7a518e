/**
 * End-to-end tests of the vault: the real command line ({@code org.ciphersync.cli.Main}) against
 * real storage servers started on 127.0.0.1 by the tests (OpenSSH sshd, s3proxy, {@code rclone
 * serve webdav}, Apache mod_dav, an rclone {@code local} remote).
 *
 * <p>Why a module of its own: the backend modules prove the storage contract
 * ({@code BlobStoreConformance}) and the vault module proves the format and the sync engines on a
 * local folder; only here do the two meet through the command line a person types, with the
 * settings ({@code -o}), credentials sources and error mapping (exit codes) of the product.
 *
 * <ul>
 *   <li>{@code TwoComputerVaultIT}: init, up, join, preview, down, check on every backend; two
 *       computers are two state folders and homes in one JVM.</li>
 *   <li>{@code ServerKilledDuringUpIT}: the server is killed while a separate CLI process uploads
 *       packs; the up-sync must give up within bounded time with exit 6 and the storage named,
 *       leave a vault that checks, and complete when re-run after the server returns.</li>
 * </ul>
 *
 * <p>A missing server binary skips a test, or fails it when {@code CI=true} (vault test-jar's
 * {@code ServerProcess}). Secrets of the servers are checked never to appear in any output.
 */
package org.ciphersync.it;
