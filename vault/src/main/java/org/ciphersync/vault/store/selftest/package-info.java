/**
 * The backend self-test run by {@code vault init} and {@code vault join}: it exercises the whole
 * contract with a random probe object under {@code probe/} (write, size, list, read, ranged read,
 * replace, delete), always removes the probe, and explains each shortcoming in plain words,
 * separating fatal problems (FAILED) from limitations the vault can live with (WARNING).
 */
package org.ciphersync.vault.store.selftest;
