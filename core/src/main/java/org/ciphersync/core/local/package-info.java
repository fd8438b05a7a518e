/**
 * Local Synchronization (S12): the session flow between 2–5 folders of one machine, behind one
 * facade, {@link org.ciphersync.core.local.LocalSync}, that the CLI calls.
 *
 * <p>Flow: check that every root exists (else refuse) → inventory (the inventory scan, with the
 * fingerprint cache) → remove leftover temporary files of an interrupted run → comparison → plan
 * (preset or rules, plus targeted actions; two-way reads each node's state) → consistency check
 * and safety guards (refuse unless forced) → stop here for a dry run → apply → save each node's
 * state (when changed) → prune versions older than the retention. The run reports progress per
 * phase to a {@link org.ciphersync.core.local.SyncListener} and returns a
 * {@link org.ciphersync.core.local.LocalSyncReport}; whole-run refusals are
 * {@link org.ciphersync.core.plan.SyncRefusedException}s. A variant takes
 * {@link org.ciphersync.core.inventory.DataSource}s, so the same flow runs on in-memory trees in
 * tests.
 */
package org.ciphersync.core.local;
