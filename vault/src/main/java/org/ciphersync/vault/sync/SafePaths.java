package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writing under a base folder without being redirected by links: a vault path is validated (no
 * {@code ..}), but a link restored earlier (or planted locally) could still turn
 * {@code ~/a/b/file} into a write outside the home. Every existing ancestor between the base and
 * the file MUST be a real folder.
 */
final class SafePaths {
    private SafePaths() {
    }

    /** Refuses when an existing folder between {@code base} (exclusive) and {@code file} (exclusive) is a link. */
    static void checkNoLinkBetween(Path base, Path file) throws IOException {
        Path b = base.toAbsolutePath().normalize();
        Path f = file.toAbsolutePath().normalize();
        if (!f.startsWith(b)) {
            throw new IOException("refusing to write " + f + ": it is outside " + b);
        }
        Path cur = b;
        for (Path part : b.relativize(f.getParent() == null ? f : f.getParent())) {
            if (part.toString().isEmpty()) {
                continue;
            }
            cur = cur.resolve(part);
            if (Files.isSymbolicLink(cur)) {
                throw new IOException("refusing to write " + f + " through the link " + cur);
            }
            if (!Files.exists(cur)) {
                return; // below a missing folder nothing can be a link yet
            }
        }
    }
}
