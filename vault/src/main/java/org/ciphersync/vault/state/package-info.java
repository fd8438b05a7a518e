/**
 * This computer's own state (docs/design.md (Vault) §8), under the user's XDG folders so two users
 * or two test homes are two computers: which vault and identity ({@code vault.json}), the last
 * synchronized version of every path and the last head seen of every log (per namespace), and
 * the versions area. Files are replaced atomically.
 */
package org.ciphersync.vault.state;
