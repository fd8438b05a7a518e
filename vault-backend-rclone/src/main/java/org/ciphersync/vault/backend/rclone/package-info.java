/**
 * The rclone backend ({@code rclone:REMOTE:path}): every provider rclone reaches (Dropbox, Google
 * Drive, OneDrive, B2, and some 70 more) through a private {@code rclone serve webdav} child.
 *
 * <p>Each store starts its own child on a random loopback port with a random user and password
 * passed in the child's environment (never on its command line), talks to it with the WebDAV
 * store, and stops it on close or JVM exit. A dead child turns further calls into permanent errors
 * that quote rclone's last output.
 */
package org.ciphersync.vault.backend.rclone;
