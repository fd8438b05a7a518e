/**
 * The session client (Cloud Sessions, S1–S7): 2–5 machines meet through a relay that sees only
 * ciphertext.
 *
 * <ul>
 *   <li>{@code profile}: machine name, e-mail label and identity keys, created on first use.</li>
 *   <li>{@code link}: the connection to the relay behind a small interface, so tests can put a
 *       recording or malicious decorator between the client and a real relay.</li>
 *   <li>{@code wire}: strict, bounded codecs of everything members say to each other.</li>
 *   <li>{@code channel}: the group channel (AES-256-GCM per sender and key epoch, sequence
 *       numbers in nonce and associated data) and the signed, pairwise-wrapped key rotation.</li>
 *   <li>{@code client}: the {@code SessionClient} state machine: create, join with a PAKE,
 *       sponsor candidates, member list, sources, settings, leader orders, exit, restart, resume.</li>
 * </ul>
 *
 * Invariants: nothing a member sends to other members leaves the process unencrypted except what
 * the relay needs to route (profile for the member blocks, status label); a member acts on a leader
 * order only if the current leader signed it; the group key changes whenever the membership does.
 * See {@code docs/design.md (The session client)}.
 */
package org.ciphersync.session;
