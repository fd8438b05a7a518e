package org.ciphersync.session.client;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.ciphersync.session.link.RelayConnector;
import org.ciphersync.session.member.SourceEntry;
import org.ciphersync.session.profile.Profile;

/**
 * How a session client connects and presents itself.
 *
 * @param connector    opens connections to the relay (again after a loss)
 * @param profile      machine name, e-mail label and identity
 * @param sources      this member's initial data sources
 * @param listener     receives events on the client's reader thread; MUST NOT block for long
 * @param timeout      how long to wait for the relay or a sponsor in each step
 * @param resumeWindow how long to keep trying to take the place back after a lost connection
 *                     (should not exceed the relay's grace period)
 * @param random       randomness for keys and the password
 * @param approve      asked, before a synchronization writes, with this member's deletes and overwrites;
 *                     returns those the person allows (the others are skipped and reported as failed).
 *                     Default: all allowed (members follow the leader automatically).
 * @param manifestPage chunks per MANIFEST page this member sends (1..20,000; default 20,000). Smaller pages
 *                     only make more messages: tests use them to send many pages with small files.
 */
public record SessionOptions(RelayConnector connector, Profile profile, List<SourceEntry> sources, Consumer<SessionEvent> listener,
                             Duration timeout, Duration resumeWindow, SecureRandom random,
                             java.util.function.Function<List<org.ciphersync.core.plan.PlannedAction>, java.util.Set<org.ciphersync.core.plan.PlannedAction>> approve,
                             int manifestPage) {
    public SessionOptions {
        Objects.requireNonNull(connector, "connector == null");
        Objects.requireNonNull(profile, "profile == null");
        sources = List.copyOf(sources);
        if (sources.size() > SourceEntry.MAX_PER_MEMBER) {
            throw new IllegalArgumentException("source count " + sources.size() + " exceeds " + SourceEntry.MAX_PER_MEMBER);
        }
        listener = listener == null ? e -> { } : listener;
        Objects.requireNonNull(timeout, "timeout == null");
        Objects.requireNonNull(resumeWindow, "resumeWindow == null");
        Objects.requireNonNull(random, "random == null");
        approve = approve == null ? java.util.Set::copyOf : approve;
        if (manifestPage < 1 || manifestPage > org.ciphersync.session.wire.GroupMessage.Manifest.MAX_PAGE) {
            throw new IllegalArgumentException("manifest page " + manifestPage + " is not within 1.."
                    + org.ciphersync.session.wire.GroupMessage.Manifest.MAX_PAGE);
        }
    }

    /** Defaults: no sources, no listener, 10 s steps, 60 s resume window, a new {@link SecureRandom}. */
    public static SessionOptions of(RelayConnector connector, Profile profile) {
        return new SessionOptions(connector, profile, List.of(), null, Duration.ofSeconds(10), Duration.ofSeconds(60), new SecureRandom(), null,
                org.ciphersync.session.wire.GroupMessage.Manifest.MAX_PAGE);
    }

    public SessionOptions withSources(List<SourceEntry> s) {
        return new SessionOptions(connector, profile, s, listener, timeout, resumeWindow, random, approve, manifestPage);
    }

    public SessionOptions withListener(Consumer<SessionEvent> l) {
        return new SessionOptions(connector, profile, sources, l, timeout, resumeWindow, random, approve, manifestPage);
    }

    public SessionOptions withTimeout(Duration t) {
        return new SessionOptions(connector, profile, sources, listener, t, resumeWindow, random, approve, manifestPage);
    }

    public SessionOptions withResumeWindow(Duration w) {
        return new SessionOptions(connector, profile, sources, listener, timeout, w, random, approve, manifestPage);
    }

    /**
     * This member's state area for files being received: {@code <profile>/transfers}. Partial files kept
     * there let a restarted process (same profile) resume a transfer its predecessor did not finish.
     */
    public java.nio.file.Path transfers() {
        return profile.directory().resolve("transfers");
    }

    /** Sends manifests in pages of {@code chunks} chunks. */
    public SessionOptions withManifestPage(int chunks) {
        return new SessionOptions(connector, profile, sources, listener, timeout, resumeWindow, random, approve, chunks);
    }

    /** Requires the person's approval of deletes and overwrites (see {@code approve}). */
    public SessionOptions withApproval(
            java.util.function.Function<List<org.ciphersync.core.plan.PlannedAction>, java.util.Set<org.ciphersync.core.plan.PlannedAction>> a) {
        return new SessionOptions(connector, profile, sources, listener, timeout, resumeWindow, random, a, manifestPage);
    }
}
