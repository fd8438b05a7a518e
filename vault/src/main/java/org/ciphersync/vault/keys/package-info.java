/**
 * Key slots (V2): the random vault root key wrapped under a password (Argon2id, parameters stored
 * in the slot) or under the recovery key (HKDF). Changing the password writes a new slot and
 * removes the old one; no data object changes. A slot is bound to its vault and name by the
 * envelope's associated data. Unlocking failure is exactly "wrong password".
 */
package org.ciphersync.vault.keys;
