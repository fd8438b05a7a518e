/**
 * The session client's connection to the relay, behind {@link org.ciphersync.session.link.RelayLink}
 * so that decorators (recording, fault-injecting, malicious) compose around the real WebSocket
 * client in one place, the {@link org.ciphersync.session.link.RelayConnector}.
 */
package org.ciphersync.session.link;
