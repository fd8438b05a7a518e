/**
 * File parts in transit: uploaded once over HTTP by a member, downloaded once by each recipient,
 * deleted after the last download or with the session.
 *
 * <p>Invariants: a part is visible to downloads only once complete (temp file + atomic rename); quota is
 * reserved before any byte is written and released on failure or deletion, so a session never holds
 * more than its quota; part ids are validated against {@code [A-Za-z0-9_-]{1,64}} before they touch the
 * file system, so no path can escape the session directory. Names on disk are the session ID and the
 * uploader's opaque part id, never a file name of the user.
 */
package org.ciphersync.relay.server.part;
