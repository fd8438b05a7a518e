package org.ciphersync.vault.repo;

import java.util.Objects;
import org.ciphersync.vault.chain.Commit;

/**
 * A commit as read from the store with the SHA-256 of its sealed bytes (what the next commit's
 * {@code prev} and a computer's remembered head refer to).
 */
public record LogEntry(Commit commit, String hash) {
    public LogEntry {
        Objects.requireNonNull(commit, "commit == null");
        Objects.requireNonNull(hash, "hash == null");
    }

    /** A short id for people and for {@code restore --at}: first 8 of the computer id, dot, sequence. */
    public String shortId() {
        return commit.computer().shortForm() + "." + commit.seq();
    }
}
