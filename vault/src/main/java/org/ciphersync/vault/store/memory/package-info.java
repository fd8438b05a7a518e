/**
 * The in-memory reference implementation of the storage contract, for tests and property tests of
 * the vault engine. Objects are published with a single map write after the whole source has been
 * read and length-checked, so it exhibits exactly the contract's atomicity and nothing more.
 */
package org.ciphersync.vault.store.memory;
