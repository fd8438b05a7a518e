/**
 * Keyed content hashing for chunk IDs (HMAC-SHA-256 under a per-namespace key from
 * {@code keys.KeyHierarchy}). Why keyed: with a plain hash, anyone holding a file could compute
 * its chunk IDs and ask the storage whether they exist ("confirmation of a file"). With the key,
 * IDs are pseudorandom to everyone but the vault's computers.
 */
package org.ciphersync.crypto.hash;
