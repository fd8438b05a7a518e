/**
 * Typed bodies of relay frames and their strict codec.
 *
 * <p>The relay interprets only the structured bodies it must act on (create, join, admit, reject,
 * status, leave, resume) and emits typed events (welcome, member list, join requested, join rejected,
 * member left, session ended, error). The bodies of {@code DATA}, {@code CANDIDATE_MESSAGE} and the
 * payload of {@code LEADER_COMMAND} are end-to-end ciphertext produced by the session client; the relay
 * forwards them unchanged.
 *
 * <p>Join flow: candidate → {@code JOIN_REQUEST} → relay picks an online sponsor (the leader if online)
 * → {@code JOIN_REQUESTED} → PAKE rounds as {@code CANDIDATE_MESSAGE}s on a channel only the candidate
 * and the sponsor see → sponsor sends {@code ADMIT} (candidate gets {@code WELCOME}, everybody a new
 * {@code MEMBER_LIST}) or {@code REJECT} (candidate gets {@code JOIN_REJECTED}; the failure counts toward
 * the lockout of the session and of the candidate's address).
 */
package org.ciphersync.relay.protocol.message;
