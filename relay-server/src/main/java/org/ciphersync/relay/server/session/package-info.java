/**
 * Session state and where it is kept.
 *
 * <p>{@link org.ciphersync.relay.server.session.SessionState} is an immutable value holding the members in
 * join order; letters are positions, so removing member B makes C the new B with no gap (S2), and the
 * first member leads. Candidates are not members: they get an id from the same counter (so an admitted
 * candidate keeps its id as member id) but no letter and no broadcasts until admitted.
 *
 * <p>{@link org.ciphersync.relay.server.session.SessionStore} is the seam for a shared store (Redis) when
 * several relays run side by side; the embedded relay uses
 * {@link org.ciphersync.relay.server.session.InMemorySessionStore}. The store holds profiles, public IPs,
 * status labels and the SHA-256 of resume tokens: no passwords, keys, paths or file names.
 */
package org.ciphersync.relay.server.session;
