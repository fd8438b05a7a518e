package org.ciphersync.vault.sync;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import org.ciphersync.vault.state.ComputerConfig;
import org.ciphersync.vault.state.StateDirs;

/**
 * The computer an operation runs on: where its state lives, its identity and settings, the user
 * name it runs as (V8) and its clock.
 */
public record LocalComputer(StateDirs dirs, ComputerConfig config, String user, Clock clock) {
    public LocalComputer {
        Objects.requireNonNull(dirs, "dirs == null");
        Objects.requireNonNull(config, "config == null");
        Objects.requireNonNull(user, "user == null");
        Objects.requireNonNull(clock, "clock == null");
    }

    public Path home() {
        return dirs.home();
    }
}
