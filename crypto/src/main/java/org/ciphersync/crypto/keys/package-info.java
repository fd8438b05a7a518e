/**
 * The key hierarchy: a random vault root key (wrapped, never stored in clear) gives one key per
 * application namespace, and each namespace key gives purpose keys (data, chunk ID, index, names)
 * through HKDF with the labels of {@code kdf.KeyLabel}. Invariant: a namespace's keys decrypt
 * nothing of another namespace, because (1) its object keys derive only from its own data key and
 * (2) the namespace is part of every ciphertext's associated data. The session group key gives the
 * channel key per rotation epoch.
 */
package org.ciphersync.crypto.keys;
