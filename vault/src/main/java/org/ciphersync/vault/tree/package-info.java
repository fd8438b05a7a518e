/**
 * Paths and versions as the vault stores them, and their tree encoding.
 *
 * <p>A {@link org.ciphersync.vault.tree.VaultPath} is home-relative ({@code ~/…}, restored into the
 * receiving user's home) or absolute. A {@link org.ciphersync.vault.tree.FileVersion} is one version
 * of one path with its version vector. {@link org.ciphersync.vault.tree.TreeCodec} stores a set of
 * versions as one blob per folder (restic's layout): encoding is canonical, so unchanged folders
 * keep their id and cost nothing in the next snapshot. Decoding treats input as hostile: lengths
 * and counts are checked against what remains, names are validated path segments, sorted, unique.
 */
package org.ciphersync.vault.tree;
