/**
 * Routing core of the relay: connections, sessions, candidates, forwarding.
 *
 * <p>Flows (all frames checked for rate, size, shape and sequence first; a malformed frame closes only
 * its own connection):
 * <ul>
 *   <li><b>create</b>: a NEW connection sends {@code CREATE_SESSION}; the relay draws a 45-bit session id,
 *       makes the sender member 1 (letter A) and answers {@code WELCOME} + {@code MEMBER_LIST}.</li>
 *   <li><b>join</b>: {@code JOIN_REQUEST} is refused while the session or the source address is locked out;
 *       otherwise the candidate gets an id and its request goes to one sponsor (the leader if online, else
 *       the first online member). PAKE messages flow only between the two. {@code ADMIT} makes the candidate a
 *       member (same id, next letter); {@code REJECT}, disconnecting or timing out count as one failure for the
 *       session and for the address.</li>
 *   <li><b>forward</b>: {@code DATA} goes to all other members or to the listed ones; {@code LEADER_COMMAND}
 *       only if the sender is member A. The relay stamps the authenticated sender into the header.</li>
 *   <li><b>drop and resume</b>: a member whose connection drops is marked offline, frames to it are buffered
 *       (bounded); within the grace period {@code RESUME} with its resume token gives back its place and letter
 *       and replays the buffer; after it the member is removed like a leaver.</li>
 *   <li><b>end</b>: when the last member is gone, or no frame arrived for the idle expiry, the session, its
 *       runtime and its parts are deleted.</li>
 * </ul>
 */
package org.ciphersync.relay.server.hub;
