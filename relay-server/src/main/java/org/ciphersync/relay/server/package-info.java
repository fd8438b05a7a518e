/**
 * The ciphersync relay: routes end-to-end encrypted envelopes between the 2–5 members of a session and
 * stores file parts until their recipients fetched them. It never depends on {@code crypto}, {@code core}
 * or {@code vault}: it cannot decrypt anything, by construction. Start it with
 * {@code new RelayServer(RelayConfig.defaults(dataDir)).start()}.
 */
package org.ciphersync.relay.server;
