/**
 * A JDK-only relay client: {@link org.ciphersync.relay.protocol.client.RelayClient} speaks the frame
 * protocol over {@code java.net.http.WebSocket} and moves file parts over HTTP with the transfer token
 * the relay hands out in {@code WELCOME}. The session module builds PAKE, group keys and encryption on
 * top of it; the relay's own tests use it as their real client.
 */
package org.ciphersync.relay.protocol.client;
