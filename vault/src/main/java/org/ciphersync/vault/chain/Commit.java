package org.ciphersync.vault.chain;

import java.util.List;
import java.util.Objects;
import org.ciphersync.vault.tree.BlobId;
import org.ciphersync.vault.tree.VaultPath;

/**
 * One entry of a computer's log in one namespace: the result of one up-sync, a restorable point
 * in time. Stored sealed under the namespace's log key as {@code snapshots/C.N.S}; see
 * docs/design.md (Vault) §4.1.
 *
 * @param seq          position in the log, from 1
 * @param prev         hex SHA-256 of the sealed bytes of commit {@code seq - 1} (64 zeros for 1)
 * @param computer     the writer
 * @param computerName the writer's host name at the time, for display
 * @param user         the user name the writer ran as (V8)
 * @param time         when it was committed, ms since the epoch
 * @param namespace    the namespace name
 * @param roots        the paths this up-sync covered; the commit's tree replaces everything below them
 * @param tree         the root tree blob
 * @param indexes      names of the index objects this up-sync added
 * @param stats        what the up-sync did
 */
public record Commit(long seq, String prev, ComputerId computer, String computerName, String user, long time,
                     String namespace, List<VaultPath> roots, BlobId tree, List<String> indexes, Stats stats) {

    public static final String NO_PREV = "0".repeat(64);
    /** Most roots one commit may name. */
    public static final int MAX_ROOTS = 10_000;
    /** Most index objects one commit may name. */
    public static final int MAX_INDEXES = 100_000;

    /** Counters of one up-sync. */
    public record Stats(long files, long bytes, long newFiles, long changedFiles, long removedFiles,
                        long newBytes, long uploadedBytes) {
        public static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0);
    }

    public Commit {
        Objects.requireNonNull(prev, "prev == null");
        Objects.requireNonNull(computer, "computer == null");
        Objects.requireNonNull(computerName, "computerName == null");
        Objects.requireNonNull(user, "user == null");
        Objects.requireNonNull(namespace, "namespace == null");
        Objects.requireNonNull(tree, "tree == null");
        Objects.requireNonNull(stats, "stats == null");
        roots = List.copyOf(roots);
        indexes = List.copyOf(indexes);
        if (seq < 1) {
            throw new IllegalArgumentException("commit sequence " + seq + " is less than 1");
        }
        if (!prev.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("commit " + seq + " prev hash is not 64 lowercase hex characters");
        }
        if (seq == 1 != prev.equals(NO_PREV)) {
            throw new IllegalArgumentException("commit " + seq + (seq == 1 ? " must not have" : " must have") + " a previous hash");
        }
        if (roots.isEmpty() || roots.size() > MAX_ROOTS) {
            throw new IllegalArgumentException("commit " + seq + " has " + roots.size() + " roots; expected 1.." + MAX_ROOTS);
        }
        if (indexes.size() > MAX_INDEXES) {
            throw new IllegalArgumentException("commit " + seq + " names " + indexes.size() + " index objects, more than " + MAX_INDEXES);
        }
    }
}
