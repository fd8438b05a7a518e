/**
 * The relay's HTTP face, on Javalin/Jetty: the WebSocket endpoint that feeds the hub, the part
 * upload/download endpoints, and {@code /health} and {@code /metrics}. Nothing here decides session rules;
 * it adapts transports to the hub and the part store.
 */
package org.ciphersync.relay.server.http;
