package org.ciphersync.vault.chain;

import java.util.List;
import java.util.Objects;
import org.ciphersync.vault.tree.FileVersion;

/**
 * The merged state of one path: the version every computer converges to and, when computers
 * changed the path concurrently, the other concurrent versions (kept as conflict copies).
 *
 * @param winner the version at the path
 * @param losers concurrent versions that lost the deterministic tie-break, best first; empty
 *               when the path has a single latest version (fast-forward)
 */
public record Resolution(FileVersion winner, List<FileVersion> losers) {
    public Resolution {
        Objects.requireNonNull(winner, "winner == null");
        losers = List.copyOf(losers);
    }

    public boolean conflict() {
        return !losers.isEmpty();
    }
}
