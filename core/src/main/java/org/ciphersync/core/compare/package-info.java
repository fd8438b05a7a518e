/**
 * Comparison (S9): the inventories of 2–5 nodes become one row per item with one cell per node
 * (present, size, mtime, content group) and a status, plus a filter for display.
 *
 * <p>Pure functions on values (no I/O), so every decision is table-tested. Sketch: entries of
 * each node are keyed by {@code SyncSettings.matchKey} (NFC, case-folded when matching is
 * case-insensitive); keys that collide within one node are left out and reported; cells of a key
 * get content groups first-fit (equal fingerprints, or — when a fingerprint is missing — equal
 * size and mtime within a tolerance); the status follows from types, presence, groups and dates.
 *
 * <p>Invariants: every non-reserved, non-colliding entry of every node is in exactly one row;
 * two cells share a group only if their content is equal by the rule above; engine-reserved
 * names ({@code .ciphersync/}, temporary files) never appear.
 */
package org.ciphersync.core.compare;
