/**
 * The sync chain's model (V3), pure functions on values.
 *
 * <p>Each computer appends {@link org.ciphersync.vault.chain.Commit}s to its own hash-chained log.
 * A computer's view is the fold of its log ({@link org.ciphersync.vault.chain.ComputerView}); the
 * merged state is, per path, the reduction of all views' versions by their
 * {@link org.ciphersync.vault.chain.VersionVector}s ({@link org.ciphersync.vault.chain.Merge}):
 * a dominating version fast-forwards, concurrent versions are a conflict with a deterministic
 * winner. Invariant: the merge depends only on the set of candidates, never on the order in which
 * logs are read, so every computer computes the same state (property-tested).
 */
package org.ciphersync.vault.chain;
