package org.ciphersync.session.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.relay.protocol.client.Inbound;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.relay.server.RelayConfig;
import org.ciphersync.relay.server.RelayServer;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.link.RelayConnector;
import org.ciphersync.session.member.SourceEntry;
import org.ciphersync.session.profile.Profile;

/** A real relay on a loopback port and real session clients, each behind a {@link TappedLink}; closed together. */
final class SessionFixture implements AutoCloseable {
    /**
     * How long a test waits for a session step, and the clients' own timeout. Generous: on a
     * loaded 2-core machine (a full build beside a benchmark) a step that takes 0.2 s alone took
     * more than 10 s; no test expects a timeout, so only a failing test waits this long.
     */
    static final Duration WAIT = Duration.ofSeconds(30);
    static final SecureRandom RANDOM = new SecureRandom();

    final RelayServer relay;
    final WireTap tap = new WireTap();
    final Path dir;
    private final List<SessionClient> clients = new ArrayList<>();
    private final List<Profile> profiles = new ArrayList<>();
    /** The latest link of each client, by machine name, so a test can play a malicious relay on it. */
    final Map<String, TappedLink> links = new ConcurrentHashMap<>();
    final Map<String, Function<Inbound, List<Inbound>>> filters = new ConcurrentHashMap<>();
    /** Every event each client reported, by machine name (printed when a test fails to help diagnose). */
    final Map<String, List<SessionEvent>> events = new ConcurrentHashMap<>();

    SessionFixture(Path dir, RelayConfig.Builder config) {
        this.dir = dir;
        relay = new RelayServer(config.bindAddress("127.0.0.1").port(0).sweepInterval(Duration.ofMillis(50)).build()).start();
    }

    static SessionFixture start(Path dir) {
        return new SessionFixture(dir, RelayConfig.builder(dir.resolve("relay")));
    }

    URI wsUri() {
        return URI.create("ws://127.0.0.1:" + relay.port() + "/ws");
    }

    RelayConnector connector(String machine) {
        RelayConnector real = RelayConnector.webSocket(wsUri(), WAIT);
        return () -> {
            TappedLink l = new TappedLink(real.connect(), tap);
            Function<Inbound, List<Inbound>> f = filters.get(machine);
            if (f != null) {
                l.inbound = f;
            }
            links.put(machine, l);
            return l;
        };
    }

    Profile profile(String machine) {
        try {
            Path p = dir.resolve("profiles").resolve(machine);
            Files.createDirectories(p.getParent());
            Profile pr = Profile.loadOrCreate(p, machine, machine + "@example.org", RANDOM);
            synchronized (profiles) {
                profiles.add(pr);
            }
            return pr;
        } catch (SessionException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Chunks per MANIFEST page the members of this fixture send. */
    volatile int manifestPage = org.ciphersync.session.wire.GroupMessage.Manifest.MAX_PAGE;

    SessionOptions options(String machine, SourceEntry... sources) {
        return SessionOptions.of(connector(machine), profile(machine)).withSources(List.of(sources)).withTimeout(WAIT)
                .withManifestPage(manifestPage)
                .withListener(e -> events.computeIfAbsent(machine, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(e))
                .withResumeWindow(Duration.ofSeconds(20));
    }

    SessionClient create(String machine, SourceEntry... sources) throws SessionException {
        return track(SessionClient.create(options(machine, sources)));
    }

    SessionClient join(SessionClient existing, String machine, SourceEntry... sources) throws SessionException {
        try (Password pw = existing.password()) {
            return join(existing.sessionId(), pw, machine, sources);
        }
    }

    SessionClient join(SessionId id, Password pw, String machine, SourceEntry... sources) throws SessionException {
        return track(SessionClient.join(options(machine, sources), id, pw));
    }

    SessionClient track(SessionClient c) {
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    @Override
    public void close() {
        synchronized (clients) {
            for (SessionClient c : clients) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    // closing anyway
                }
            }
        }
        relay.close();
        synchronized (profiles) {
            profiles.forEach(Profile::close);
        }
    }

    static void uncheckedSleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        }
    }
}
