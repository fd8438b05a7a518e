package org.ciphersync.relay.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.ciphersync.relay.protocol.frame.FrameLimits;

/**
 * Everything a relay can be configured with. {@link #defaults(Path)} gives the embedded defaults of
 * {@code ciphersync relay}; tests shorten the timings through {@link #builder(Path)}.
 *
 * @param bindAddress              address to listen on; default {@code 0.0.0.0} so other machines can reach the relay
 * @param port                     TCP port; default {@value #DEFAULT_PORT}; 0 picks a free port
 * @param dataDir                  directory for file parts (created if missing; its {@code parts/} subtree is owned by the relay)
 * @param gracePeriod              how long a member whose connection dropped keeps its place
 * @param idleExpiry               a session without any frame for this long ends
 * @param sweepInterval            how often expiry, grace and candidate timeouts are checked
 * @param joinFailuresBeforeLockout failed joins per session and per source address before lockouts start
 * @param lockoutBase              first lockout; each further failure doubles it
 * @param lockoutMax               cap of the exponential lockout
 * @param maxPendingCandidates     candidates authenticating at once per session
 * @param candidateTimeout         a candidate not admitted within this time fails
 * @param framesPerSecond          sustained frame rate per connection
 * @param frameBurst               burst of frames per connection above the rate
 * @param maxRateViolations        refused frames before the connection is closed
 * @param maxFrameBytes            largest WebSocket message accepted (bigger ones close the connection)
 * @param maxOutboundQueueBytes    bytes queued to a slow connection before it is closed
 * @param offlineBufferBytes       bytes kept for a member during its grace period, replayed on resume
 * @param maxPartBytes             largest file part
 * @param sessionQuotaBytes        bytes of parts stored per session at any time
 * @param partMemoryBytes          bytes of parts kept in memory (relay-wide) instead of on disk: a part is
 *                                 normally fetched within moments of its upload, and writing it to a file
 *                                 only to read it back cost the relay most of its CPU time; 0 keeps every
 *                                 part on disk
 * @param maxSessions              sessions per relay (create fails beyond it)
 * @param maxConnectionsPerAddress open connections per source address (more are closed at once)
 * @param unboundTimeout           a connection that is neither member nor candidate for this long is closed
 */
public record RelayConfig(
        String bindAddress,
        int port,
        Path dataDir,
        Duration gracePeriod,
        Duration idleExpiry,
        Duration sweepInterval,
        int joinFailuresBeforeLockout,
        Duration lockoutBase,
        Duration lockoutMax,
        int maxPendingCandidates,
        Duration candidateTimeout,
        int framesPerSecond,
        int frameBurst,
        int maxRateViolations,
        int maxFrameBytes,
        long maxOutboundQueueBytes,
        long offlineBufferBytes,
        long maxPartBytes,
        long sessionQuotaBytes,
        long partMemoryBytes,
        int maxSessions,
        int maxConnectionsPerAddress,
        Duration unboundTimeout) {

    /** The documented default port of the relay. */
    public static final int DEFAULT_PORT = 7469;

    public RelayConfig {
        Objects.requireNonNull(bindAddress, "bindAddress == null");
        Objects.requireNonNull(dataDir, "dataDir == null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        for (var d : new Duration[] {gracePeriod, idleExpiry, sweepInterval, lockoutBase, lockoutMax, candidateTimeout, unboundTimeout}) {
            Objects.requireNonNull(d, "a duration is null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration " + d + " must be positive");
            }
        }
        positive("joinFailuresBeforeLockout", joinFailuresBeforeLockout);
        positive("maxPendingCandidates", maxPendingCandidates);
        positive("framesPerSecond", framesPerSecond);
        positive("frameBurst", frameBurst);
        positive("maxRateViolations", maxRateViolations);
        positive("maxSessions", maxSessions);
        positive("maxConnectionsPerAddress", maxConnectionsPerAddress);
        if (maxFrameBytes < FrameLimits.FIXED_HEADER || maxFrameBytes > FrameLimits.MAX_FRAME) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is outside " + FrameLimits.FIXED_HEADER + ".." + FrameLimits.MAX_FRAME);
        }
        positive("maxOutboundQueueBytes", maxOutboundQueueBytes);
        positive("offlineBufferBytes", offlineBufferBytes);
        positive("maxPartBytes", maxPartBytes);
        positive("sessionQuotaBytes", sessionQuotaBytes);
        if (partMemoryBytes < 0) {
            throw new IllegalArgumentException("partMemoryBytes " + partMemoryBytes + " must not be negative");
        }
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " " + v + " must be positive");
        }
    }

    /** The embedded defaults: all interfaces, port {@value #DEFAULT_PORT}, parts under {@code dataDir}. */
    public static RelayConfig defaults(Path dataDir) {
        return builder(dataDir).build();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Builder starting from the defaults. */
    public static final class Builder {
        private String bindAddress = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private Path dataDir;
        private Duration gracePeriod = Duration.ofSeconds(60);
        private Duration idleExpiry = Duration.ofHours(2);
        private Duration sweepInterval = Duration.ofSeconds(1);
        private int joinFailuresBeforeLockout = 5;
        private Duration lockoutBase = Duration.ofSeconds(30);
        private Duration lockoutMax = Duration.ofHours(1);
        private int maxPendingCandidates = 4;
        private Duration candidateTimeout = Duration.ofMinutes(2);
        private int framesPerSecond = FrameLimits.FRAMES_PER_SECOND;
        private int frameBurst = FrameLimits.FRAME_BURST;
        private int maxRateViolations = 50;
        private int maxFrameBytes = FrameLimits.MAX_FRAME;
        private long maxOutboundQueueBytes = 16L << 20;
        private long offlineBufferBytes = 4L << 20;
        private long maxPartBytes = 64L << 20;
        private long sessionQuotaBytes = 1L << 30;
        private long partMemoryBytes = 128L << 20;
        private int maxSessions = 100_000;
        private int maxConnectionsPerAddress = 50;
        private Duration unboundTimeout = Duration.ofMinutes(2);

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder bindAddress(String v) { bindAddress = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder gracePeriod(Duration v) { gracePeriod = v; return this; }
        public Builder idleExpiry(Duration v) { idleExpiry = v; return this; }
        public Builder sweepInterval(Duration v) { sweepInterval = v; return this; }
        public Builder joinFailuresBeforeLockout(int v) { joinFailuresBeforeLockout = v; return this; }
        public Builder lockoutBase(Duration v) { lockoutBase = v; return this; }
        public Builder lockoutMax(Duration v) { lockoutMax = v; return this; }
        public Builder maxPendingCandidates(int v) { maxPendingCandidates = v; return this; }
        public Builder candidateTimeout(Duration v) { candidateTimeout = v; return this; }
        public Builder framesPerSecond(int v) { framesPerSecond = v; return this; }
        public Builder frameBurst(int v) { frameBurst = v; return this; }
        public Builder maxRateViolations(int v) { maxRateViolations = v; return this; }
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
        public Builder maxOutboundQueueBytes(long v) { maxOutboundQueueBytes = v; return this; }
        public Builder offlineBufferBytes(long v) { offlineBufferBytes = v; return this; }
        public Builder maxPartBytes(long v) { maxPartBytes = v; return this; }
        public Builder sessionQuotaBytes(long v) { sessionQuotaBytes = v; return this; }
        public Builder partMemoryBytes(long v) { partMemoryBytes = v; return this; }
        public Builder maxSessions(int v) { maxSessions = v; return this; }
        public Builder maxConnectionsPerAddress(int v) { maxConnectionsPerAddress = v; return this; }
        public Builder unboundTimeout(Duration v) { unboundTimeout = v; return this; }

        public RelayConfig build() {
            return new RelayConfig(bindAddress, port, dataDir, gracePeriod, idleExpiry, sweepInterval,
                    joinFailuresBeforeLockout, lockoutBase, lockoutMax, maxPendingCandidates, candidateTimeout,
                    framesPerSecond, frameBurst, maxRateViolations, maxFrameBytes, maxOutboundQueueBytes,
                    offlineBufferBytes, maxPartBytes, sessionQuotaBytes, partMemoryBytes, maxSessions, maxConnectionsPerAddress, unboundTimeout);
        }
    }
}
