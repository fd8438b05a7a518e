/**
 * The session's end-to-end encryption (S4).
 *
 * <p>{@link org.ciphersync.session.channel.GroupChannel}: one AES-256-GCM key per (group key
 * epoch, sender), counter nonces, session/epoch/sender/sequence/frame type in the associated data;
 * receivers refuse replays and reorders and report gaps. {@link org.ciphersync.session.channel.Rekey}:
 * the leader rotates the group key on every membership change, wrapping it pairwise (X25519 of
 * authenticated identity keys) for the current members only, and signs the rotation.
 * {@link org.ciphersync.session.channel.LeaderSignature}: leader orders are signed with the leader's
 * Ed25519 key and verified by every member. {@link org.ciphersync.session.channel.JoinBundle}: what
 * the sponsor hands a joiner over the PAKE-keyed channel.
 *
 * <p>Invariants: a nonce never repeats under a key (one key per sender and epoch, strictly
 * increasing sequence per sender); nobody outside the current membership holds the current group
 * key; no key is ever printed.
 */
package org.ciphersync.session.channel;
