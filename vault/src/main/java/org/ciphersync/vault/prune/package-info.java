/**
 * Pruning without blocking other computers (docs/design.md (Vault) §7): a maintenance lease that only
 * serializes prunes, candidates remembered with the time they were first seen unreferenced, and
 * deletion only after a grace period and an acknowledgement (the start of an operation) by every
 * active computer, so nothing another computer may still reference is ever deleted.
 */
package org.ciphersync.vault.prune;
