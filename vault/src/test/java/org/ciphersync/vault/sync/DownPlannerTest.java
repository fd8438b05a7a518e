package org.ciphersync.vault.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.vault.chain.Versions.A;
import static org.ciphersync.vault.chain.Versions.B;
import static org.ciphersync.vault.chain.Versions.deleted;
import static org.ciphersync.vault.chain.Versions.file;
import static org.ciphersync.vault.chain.Versions.sha;
import static org.ciphersync.vault.chain.Versions.vv;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ciphersync.vault.chain.Merge;
import org.ciphersync.vault.chain.Resolution;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;
import org.junit.jupiter.api.Test;

/** The decision table of docs/design.md (Vault) §4.4, one test per row. */
class DownPlannerTest {
    private static final VaultPath P = VaultPath.parse("~/a.txt");
    private final Map<VaultPath, SyncedVersion> synced = new HashMap<>();
    private final Map<VaultPath, LocalFile> disk = new HashMap<>();

    private static LocalFile onDisk(String content, long mtime) {
        return new LocalFile(EntryKind.FILE, content.length(), mtime, () -> sha(content), "");
    }

    private Action.Kind decide(FileVersion... candidates) {
        TreeMap<VaultPath, Resolution> merged = new TreeMap<>();
        merged.put(P, Merge.resolve(List.of(candidates)));
        List<Action> plan = DownPlanner.plan(merged, synced, disk::get, p -> true);
        return plan.isEmpty() ? null : plan.get(0).kind();
    }

    private void synced(FileVersion v, long localMtime) {
        synced.put(v.path(), new SyncedVersion(v, v.size(), localMtime));
    }

    @Test
    void lastSyncedCoversTheVault_nothingToDo() {
        FileVersion v = file("~/a.txt", "one", 1, vv(A, 2), A);
        synced(v, 1);
        disk.put(P, onDisk("one", 1));
        assertThat(decide(file("~/a.txt", "old", 1, vv(A, 1), A))).isNull();
    }

    @Test
    void neverSyncedAndAbsent_isRestored() {
        assertThat(decide(file("~/a.txt", "one", 1, vv(B, 1), B))).isEqualTo(Action.Kind.RESTORE);
    }

    @Test
    void neverSyncedAndIdenticalOnDisk_isAdopted() {
        disk.put(P, onDisk("one", 99));
        assertThat(decide(file("~/a.txt", "one", 1, vv(B, 1), B))).isEqualTo(Action.Kind.ADOPT);
    }

    @Test
    void neverSyncedAndDifferentOnDisk_isAConflict() {
        disk.put(P, onDisk("mine", 99));
        assertThat(decide(file("~/a.txt", "theirs", 1, vv(B, 1), B))).isEqualTo(Action.Kind.CONFLICT);
    }

    @Test
    void unchangedLocallyAndNewerInVault_isOverwritten() {
        synced(file("~/a.txt", "one", 1, vv(A, 1), A), 1);
        disk.put(P, onDisk("one", 1));
        assertThat(decide(file("~/a.txt", "two", 2, vv(A, 1, B, 1), B))).isEqualTo(Action.Kind.OVERWRITE);
    }

    @Test
    void unchangedLocallyWithNewMtime_isRecognizedByContentAndOverwritten() {
        synced(file("~/a.txt", "one", 1, vv(A, 1), A), 1);
        disk.put(P, onDisk("one", 777));
        assertThat(decide(file("~/a.txt", "two", 2, vv(A, 1, B, 1), B))).isEqualTo(Action.Kind.OVERWRITE);
    }

    @Test
    void changedLocallyAndNewerInVault_isAConflict() {
        synced(file("~/a.txt", "one", 1, vv(A, 1), A), 1);
        disk.put(P, onDisk("local edit", 5));
        assertThat(decide(file("~/a.txt", "two", 2, vv(A, 1, B, 1), B))).isEqualTo(Action.Kind.CONFLICT);
    }

    @Test
    void unchangedLocallyButLocalVersionConcurrentWithVault_isAConflictNotAnOverwrite() {
        synced(file("~/a.txt", "mine", 1, vv(A, 2), A), 1);
        disk.put(P, onDisk("mine", 1));
        assertThat(decide(file("~/a.txt", "theirs", 2, vv(A, 1, B, 1), B))).isEqualTo(Action.Kind.CONFLICT);
    }

    @Test
    void unchangedLocallyAndDeletedInVault_isDeleted() {
        synced(file("~/a.txt", "one", 1, vv(A, 1), A), 1);
        disk.put(P, onDisk("one", 1));
        assertThat(decide(deleted("~/a.txt", 2, vv(A, 1, B, 1), B))).isEqualTo(Action.Kind.DELETE);
    }

    @Test
    void changedLocallyAndDeletedInVault_isAConflictThatKeepsTheLocalFile() {
        synced(file("~/a.txt", "one", 1, vv(A, 1), A), 1);
        disk.put(P, onDisk("edited", 3));
        assertThat(decide(deleted("~/a.txt", 2, vv(A, 1, B, 1), B))).isEqualTo(Action.Kind.CONFLICT);
    }

    @Test
    void deletedInVaultAndNeverSyncedHere_leavesTheLocalFileAlone() {
        disk.put(P, onDisk("unrelated", 3));
        assertThat(decide(deleted("~/a.txt", 2, vv(B, 1), B))).isNull();
    }

    @Test
    void deletedLocallyAndChangedInVault_isRestored() {
        synced(file("~/a.txt", "one", 1, vv(A, 1), A), 1);
        assertThat(decide(file("~/a.txt", "two", 2, vv(A, 1, B, 1), B))).isEqualTo(Action.Kind.RESTORE);
    }

    @Test
    void selection_excludesPathsNotChosen() {
        TreeMap<VaultPath, Resolution> merged = new TreeMap<>();
        merged.put(P, Merge.resolve(List.of(file("~/a.txt", "x", 1, vv(B, 1), B))));
        merged.put(VaultPath.parse("~/b.txt"), Merge.resolve(List.of(file("~/b.txt", "y", 1, vv(B, 1), B))));
        List<Action> plan = DownPlanner.plan(merged, synced, disk::get, p -> p.equals(P));
        assertThat(plan).extracting(Action::path).containsExactly(P);
    }
}
