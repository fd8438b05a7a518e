package org.ciphersync.vault.sync;

import java.util.Objects;
import org.ciphersync.vault.chain.Resolution;
import org.ciphersync.vault.tree.VaultPath;

/**
 * One decision of a down-sync plan: what happens at one path and why. A preview prints exactly
 * these; a down-sync performs exactly these.
 *
 * @param kind       what is done
 * @param path       where
 * @param resolution the merged state of the path (the incoming version is its winner)
 * @param reason     a short explanation for the person reading the preview
 * @param folder     whether the path is a folder (the vault's version is one, or a deleted one was)
 */
public record Action(Kind kind, VaultPath path, Resolution resolution, String reason, boolean folder) {
    /** The kinds of decisions. */
    public enum Kind {
        /** The path is absent locally and is written (a folder: created) from the vault. */
        RESTORE,
        /** The local file is unchanged since the last sync and a newer version replaces it (old copy kept in the versions area). */
        OVERWRITE,
        /**
         * The vault deleted the path; the unchanged local file moves to the versions area. A folder
         * is removed only when nothing is left in it once the run's file deletions are done.
         */
        DELETE,
        /**
         * Both sides changed: the local file stays, the incoming version is written beside it (when
         * there is one; never for folders, whose local entry simply stays).
         */
        CONFLICT,
        /** A local folder unchanged since the last sync gets the vault's newer mtime and permissions. */
        UPDATE,
        /** The local content already equals the vault's; only the local state is updated. */
        ADOPT
    }

    public Action {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(resolution, "resolution == null");
        Objects.requireNonNull(reason, "reason == null");
    }

    /** An action on a file or link. */
    public Action(Kind kind, VaultPath path, Resolution resolution, String reason) {
        this(kind, path, resolution, reason, false);
    }

    /** Whether this action changes files on disk (everything but ADOPT and conflicts that write no copy). */
    public boolean touchesDisk() {
        return kind != Kind.ADOPT && !(kind == Kind.CONFLICT && (resolution.winner().isDeleted() || resolution.winner().isFolder()));
    }

}
