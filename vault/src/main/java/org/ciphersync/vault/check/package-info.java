/**
 * {@code vault check}: structure (every commit, index object and tree authentic and consistent,
 * every referenced pack present and long enough) and, with {@code --read-data}, every blob of the
 * chosen packs opened and verified against its id. Problems are collected so one run lists all.
 */
package org.ciphersync.vault.check;
