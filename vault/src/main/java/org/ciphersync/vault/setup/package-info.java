/**
 * Connecting computers to a vault: {@code init} (create the vault, first computer), {@code join}
 * (vault location + master password), {@code open}; and key management: password change and the
 * recovery key, which touch only key slots.
 */
package org.ciphersync.vault.setup;
