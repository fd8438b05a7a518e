/**
 * The session client's state machine.
 *
 * <p>{@link org.ciphersync.session.client.SessionClient} owns one relay link, the group channel and
 * the member state; one reader thread applies inbound frames under the client's lock, a worker thread
 * runs inventories and synchronizations, so the reader never blocks on disk or HTTP. By concept:
 * <ul>
 *   <li>joining (S3): {@code Joining} (the joiner's PAKE and the relay's answers); sponsoring a candidate,
 *       membership, keys, orders and resume stay in {@code SessionClient};</li>
 *   <li>inventory exchange and comparison (S8, S9): {@code InventoryExchange};</li>
 *   <li>plan and run coordination (S10, S11: results, departures, takeover, two-way state):
 *       {@code PlanChoice}, {@code SyncCoordinator};</li>
 *   <li>transfer (this member's part of a run): {@code SyncRun}, with {@code transfer.FilePart} and
 *       {@code transfer.PartialFile}.</li>
 * </ul>
 * The run classes see the client through {@code SessionCore}.
 *
 * <p>Invariants:
 * <ul>
 *   <li>identity keys come only from PAKE-authenticated parties (sponsor's roster, sponsor's ANNOUNCE),
 *       never from the relay's member list;</li>
 *   <li>the leader is the first member of the relay's list this member authenticated; it alone rotates
 *       the group key (whenever the keyed set differs from the authenticated, listed set) and gives
 *       orders, each signed and verified by every member before it acts;</li>
 *   <li>a member's sources are whatever that member last said (STATE frames are stored under their sender);</li>
 *   <li>a synchronization plan is computed by every member from the same comparison (checked by digest),
 *       and each member applies only the actions that target its own nodes
 *       ({@link org.ciphersync.session.client.SyncRun}).</li>
 * </ul>
 */
package org.ciphersync.session.client;
