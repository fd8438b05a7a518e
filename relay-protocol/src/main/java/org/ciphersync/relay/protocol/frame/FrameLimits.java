package org.ciphersync.relay.protocol.frame;

/** Hard limits of protocol version 1. Both ends MUST enforce them; the relay may configure lower ones. */
public final class FrameLimits {

    /** The only protocol version. */
    public static final int VERSION = 1;
    /** Largest payload of any frame: 1 MiB. Larger data (file parts) goes through HTTP. */
    public static final int MAX_PAYLOAD = 1 << 20;
    /** Largest payload of a structured control frame: 64 KiB. */
    public static final int MAX_CONTROL_PAYLOAD = 64 << 10;
    /** Most recipients one frame may name (5 members plus slack for candidates). */
    public static final int MAX_RECIPIENTS = 8;
    /** Fixed part of the header: version, type, session, sequence, sender, count, payload length. */
    public static final int FIXED_HEADER = 1 + 1 + 8 + 8 + 4 + 1 + 4;
    /**
     * Sustained frames per second per connection that every relay MUST accept, and that a client
     * MUST NOT exceed (clients pace themselves a little below it). A relay may be configured stricter
     * only for tests; the relay drops a frame above its rate, and a dropped frame breaks a session.
     */
    public static final int FRAMES_PER_SECOND = 2000;
    /** Frames per connection above {@link #FRAMES_PER_SECOND} that every relay MUST accept in a burst. */
    public static final int FRAME_BURST = 4000;
    /** Largest encoded frame. */
    public static final int MAX_FRAME = FIXED_HEADER + 4 * MAX_RECIPIENTS + MAX_PAYLOAD;

    private FrameLimits() {
    }
}
