package org.ciphersync.vault.check;

import java.util.List;

/**
 * What {@code vault check} found.
 *
 * @param namespaces   namespaces checked
 * @param commits      commits verified (authentic, chained)
 * @param indexObjects index objects verified
 * @param packs        packs that exist and are long enough for their blobs
 * @param packsRead    packs read completely and verified (with --read-data)
 * @param blobsRead    blobs opened and verified (with --read-data)
 * @param files        file versions reachable from the newest commits
 * @param unreferenced objects no commit references (left by interrupted up-syncs; prune removes them)
 * @param checkpoints  checkpoints of interrupted up-syncs verified (the next up-sync of their
 *                     computer resumes from them)
 * @param resumable    unreferenced packs a checkpoint names: kept by prune while the checkpoint
 *                     exists, not uploaded again by the resuming up-sync
 * @param errors       every problem found; empty means the vault is sound
 */
public record CheckReport(List<String> namespaces, long commits, long indexObjects, long packs, long packsRead, long blobsRead,
                          long files, long unreferenced, long checkpoints, long resumable, List<String> errors) {
    public boolean ok() {
        return errors.isEmpty();
    }
}
