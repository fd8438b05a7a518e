package org.ciphersync.relay.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import org.ciphersync.relay.server.http.PartsEndpoint;
import org.ciphersync.relay.server.http.WebSocketEndpoint;
import org.ciphersync.relay.server.hub.Hub;
import org.ciphersync.relay.server.metrics.RelayMetrics;
import org.ciphersync.relay.server.part.DiskPartStore;
import org.ciphersync.relay.server.part.PartStore;
import org.ciphersync.relay.server.session.InMemorySessionStore;
import org.ciphersync.relay.server.session.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay: the composition root of the hub, the session store, the part store and the HTTP/WebSocket
 * endpoints. {@code new RelayServer(RelayConfig.defaults(dir)).start()} runs the embedded relay (state in
 * memory, parts on local disk).
 *
 * <p>Endpoints: {@code GET /ws} (WebSocket, binary frames of {@code relay-protocol}),
 * {@code PUT|GET /sessions/{id}/parts/{part}}, {@code GET /health} (JSON), {@code GET /metrics} (Prometheus).
 */
public final class RelayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayServer.class);

    private final RelayConfig config;
    private final SessionStore store;
    private final PartStore parts;
    private final Hub hub;
    private Javalin app;
    private ScheduledExecutorService sweeper;

    /** An embedded relay: in-memory sessions, parts under {@code config.dataDir()}. */
    public RelayServer(RelayConfig config) {
        this(config, new InMemorySessionStore(), openParts(config), InstantSource.system());
    }

    /** A relay on the given stores (for a shared store, or tests). */
    public RelayServer(RelayConfig config, SessionStore store, PartStore parts, InstantSource clock) {
        this.config = config;
        this.store = store;
        this.parts = parts;
        this.hub = new Hub(config, store, parts, clock);
    }

    /**
     * The part memory actually used: the configured bytes, but never more than a quarter of the JVM's heap,
     * so that a relay on a small machine (a default heap of a quarter of its RAM) keeps parts on disk rather
     * than running out of memory.
     */
    static long partMemory(long configured, long maxHeap) {
        return Math.max(0, Math.min(configured, maxHeap / 4));
    }

    private static PartStore openParts(RelayConfig config) {
        try {
            return new DiskPartStore(config.dataDir(), config.maxPartBytes(), config.sessionQuotaBytes(),
                    partMemory(config.partMemoryBytes(), Runtime.getRuntime().maxMemory()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use relay data directory " + config.dataDir() + ": " + e.getMessage()
                    + " (check that it is writable, or pass another with --data)", e);
        }
    }

    /**
     * Starts listening.
     *
     * @return this
     * @throws IllegalStateException if already started
     */
    public synchronized RelayServer start() {
        if (app != null) {
            throw new IllegalStateException("relay already started on port " + port());
        }
        WebSocketEndpoint ws = new WebSocketEndpoint(hub, config.maxOutboundQueueBytes());
        PartsEndpoint partsEndpoint = new PartsEndpoint(hub, parts);
        RelayMetrics metrics = hub.metrics();
        Javalin created = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.compressionStrategy = CompressionStrategy.NONE;
            c.jetty.modifyWebSocketServletFactory(f -> {
                f.setMaxBinaryMessageSize(config.maxFrameBytes());
                f.setMaxTextMessageSize(4096);
                f.setIdleTimeout(Duration.ofSeconds(90));
            });
            c.routes.ws(WebSocketEndpoint.PATH, ws::configure);
            c.routes.put(PartsEndpoint.PATH, partsEndpoint::put);
            c.routes.get(PartsEndpoint.PATH, partsEndpoint::get);
            c.routes.get("/health", ctx -> ctx.contentType("application/json")
                    .result("{\"status\":\"ok\",\"sessions\":" + metrics.sessions() + ",\"connections\":" + metrics.connections() + "}"));
            c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.render()));
        });
        created.start(config.bindAddress(), config.port()); // throws with the port in its message if it is taken
        app = created;
        long every = config.sweepInterval().toMillis();
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                hub.sweep();
            } catch (RuntimeException e) {
                log.error("relay maintenance sweep failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        log.info("relay listening on {}:{} (WebSocket {}), parts under {}", config.bindAddress(), port(), WebSocketEndpoint.PATH, config.dataDir());
        return this;
    }

    /** The port actually listened on (useful with port 0). */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("relay not started");
        }
        return app.port();
    }

    /** Tells every member the relay is shutting down, then stops listening. Idempotent. */
    public synchronized void stop() {
        if (app == null) {
            return;
        }
        sweeper.shutdownNow();
        hub.shutdown();
        app.stop();
        app = null;
        log.info("relay stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** The routing core (for metrics and tests). */
    public Hub hub() {
        return hub;
    }

    /** The session store in use. */
    public SessionStore sessions() {
        return store;
    }

    /** The part store in use. */
    public PartStore parts() {
        return parts;
    }

    public RelayConfig config() {
        return config;
    }
}
