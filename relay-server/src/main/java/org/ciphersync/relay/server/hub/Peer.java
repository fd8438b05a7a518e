package org.ciphersync.relay.server.hub;

/**
 * One client connection as the {@link Hub} sees it, independent of the WebSocket library.
 * Implementations MUST NOT block in {@link #send}: they queue, and close the connection themselves
 * when the queue of a slow reader grows beyond its bound (backpressure by disconnection).
 */
public interface Peer {

    /** The client's address as the relay sees it (its public IP for members behind NAT). */
    String remoteAddress();

    /** Queues one encoded frame for sending. Silently ignored once closed. */
    void send(byte[] frame);

    /** Closes the connection with a WebSocket close code and a short reason for the person at the other end. */
    void close(int code, String reason);
}
