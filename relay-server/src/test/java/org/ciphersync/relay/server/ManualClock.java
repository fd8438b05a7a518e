package org.ciphersync.relay.server;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock tests move by hand. */
public final class ManualClock implements InstantSource {

    private volatile Instant now = Instant.parse("2026-11-21T10:00:00Z");

    @Override
    public Instant instant() {
        return now;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }
}
