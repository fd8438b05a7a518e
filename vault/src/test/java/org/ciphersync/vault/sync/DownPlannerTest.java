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
        List<Action> plan = DownPlanner.plan(merged, synced, disk::get, p -> List.of(), p -> true);
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
        List<Action> plan = DownPlanner.plan(merged, synced, disk::get, p -> List.of(), p -> p.equals(P));
        assertThat(plan).extracting(Action::path).containsExactly(P);
    }

    // ---- folders (the second table of DownPlanner) ----

    private static final VaultPath D = VaultPath.parse("~/d");
    private final Map<VaultPath, List<String>> listings = new HashMap<>();

    private static FileVersion folder(long mtime, int mode, org.ciphersync.vault.chain.VersionVector v,
                                      org.ciphersync.vault.chain.ComputerId origin) {
        return FileVersion.folder(D, mtime, mode, v, origin, 1);
    }

    private List<Action> planAll(FileVersion... winners) {
        TreeMap<VaultPath, Resolution> merged = new TreeMap<>();
        for (FileVersion w : winners) {
            merged.put(w.path(), Merge.resolve(List.of(w)));
        }
        return DownPlanner.plan(merged, synced, disk::get, listings::get, p -> true);
    }

    private String decideFolder(FileVersion m) {
        List<Action> plan = planAll(m);
        return plan.isEmpty() ? null : plan.get(0).kind() + (plan.get(0).folder() ? " folder" : "");
    }

    @Test
    void folderAbsent_isCreated() {
        assertThat(decideFolder(folder(5, 0755, vv(B, 1), B))).isEqualTo("RESTORE folder");
    }

    @Test
    void folderPresentWithTheVaultsTimeAndMode_isAdopted() {
        disk.put(D, LocalFile.folder(5, 0755));
        assertThat(decideFolder(folder(5, 0755, vv(B, 1), B))).isEqualTo("ADOPT folder");
    }

    @Test
    void folderPresentNeverSynced_getsTheVaultsTimeAndMode() {
        disk.put(D, LocalFile.folder(9, 0777));
        assertThat(decideFolder(folder(5, 0755, vv(B, 1), B))).isEqualTo("UPDATE folder");
    }

    @Test
    void folderUnchangedSinceLastSync_getsTheNewerTimeAndMode_evenWhenConcurrent() {
        synced.put(D, new SyncedVersion(folder(3, 0755, vv(A, 1), A), 0, 3));
        disk.put(D, LocalFile.folder(3, 0755));
        assertThat(decideFolder(folder(5, 0700, vv(A, 1, B, 1), B))).isEqualTo("UPDATE folder");
        assertThat(decideFolder(folder(5, 0700, vv(B, 1), B))).as("concurrent: the merge's winner").isEqualTo("UPDATE folder");
    }

    @Test
    void folderChangedHereSinceLastSync_keepsItsLocalTimeAndMode() {
        synced.put(D, new SyncedVersion(folder(3, 0755, vv(A, 1), A), 0, 3));
        disk.put(D, LocalFile.folder(4, 0755)); // something was added here
        assertThat(decideFolder(folder(5, 0755, vv(A, 1, B, 1), B))).isEqualTo("ADOPT folder");
        disk.put(D, LocalFile.folder(3, 0700)); // chmod-ed here
        assertThat(decideFolder(folder(5, 0755, vv(A, 1, B, 1), B))).isEqualTo("ADOPT folder");
    }

    @Test
    void aFileWhereTheVaultHasAFolder_isAConflictThatWritesNothing() {
        disk.put(D, onDisk("a file", 1));
        List<Action> plan = planAll(folder(5, 0755, vv(B, 1), B));
        assertThat(plan).extracting(Action::kind).containsExactly(Action.Kind.CONFLICT);
        assertThat(plan.get(0).touchesDisk()).isFalse();
    }

    @Test
    void aFileInTheVaultWhereASyncedFolderIs_neverReplacesTheFolder() {
        synced.put(D, new SyncedVersion(folder(3, 0755, vv(A, 1), A), 0, 3));
        disk.put(D, LocalFile.folder(3, 0755));
        List<Action> plan = planAll(new FileVersion(D, EntryKind.FILE, 1, 9, 0644, sha("x"), List.of(), "", vv(A, 1, B, 1), B, 1));
        assertThat(plan).extracting(Action::kind).containsExactly(Action.Kind.CONFLICT);
    }

    @Test
    void folderDeletedInTheVault_isDeletedWhenItsOnlyContentIsDeletedToo() {
        FileVersion f = file("~/d/f.txt", "f", 1, vv(A, 1), A);
        synced.put(D, new SyncedVersion(folder(3, 0755, vv(A, 1), A), 0, 3));
        synced(f, 1);
        disk.put(D, LocalFile.folder(3, 0755));
        disk.put(f.path(), onDisk("f", 1));
        listings.put(D, List.of("f.txt"));
        List<Action> plan = planAll(deleted("~/d", 2, vv(A, 1, B, 1), B), deleted("~/d/f.txt", 2, vv(A, 1, B, 1), B));
        assertThat(plan).extracting(a -> a.kind() + " " + a.path() + " " + a.folder())
                .containsExactly("DELETE ~/d true", "DELETE ~/d/f.txt false");
    }

    @Test
    void folderDeletedInTheVault_holdingAFileTheVaultDoesNotKnow_isKept() {
        synced.put(D, new SyncedVersion(folder(3, 0755, vv(A, 1), A), 0, 3));
        disk.put(D, LocalFile.folder(4, 0755));
        listings.put(D, List.of("mine.txt"));
        List<Action> plan = planAll(deleted("~/d", 2, vv(A, 1, B, 1), B));
        assertThat(plan).extracting(Action::kind).containsExactly(Action.Kind.CONFLICT);
        assertThat(plan.get(0).touchesDisk()).isFalse();
    }

    @Test
    void folderDeletedInTheVault_holdingAFileThePlanKeeps_isKept() {
        FileVersion f = file("~/d/f.txt", "f", 1, vv(A, 1), A);
        synced.put(D, new SyncedVersion(folder(3, 0755, vv(A, 1), A), 0, 3));
        synced(f, 1);
        disk.put(D, LocalFile.folder(3, 0755));
        disk.put(f.path(), onDisk("edited here", 7));
        listings.put(D, List.of("f.txt"));
        List<Action> plan = planAll(deleted("~/d", 2, vv(A, 1, B, 1), B), deleted("~/d/f.txt", 2, vv(A, 1, B, 1), B));
        assertThat(plan).extracting(a -> a.kind() + " " + a.path()).containsExactly("CONFLICT ~/d", "CONFLICT ~/d/f.txt");
    }

    @Test
    void folderDeletedInTheVault_thatCannotBeListed_isKept() {
        synced.put(D, new SyncedVersion(folder(3, 0755, vv(A, 1), A), 0, 3));
        disk.put(D, LocalFile.folder(3, 0755));
        assertThat(decideFolder(deleted("~/d", 2, vv(A, 1, B, 1), B))).isEqualTo("CONFLICT folder");
    }

    @Test
    void folderDeletedConcurrentlyWithOurChange_isKept() {
        synced.put(D, new SyncedVersion(folder(3, 0755, vv(A, 2), A), 0, 3));
        disk.put(D, LocalFile.folder(3, 0755));
        listings.put(D, List.of());
        assertThat(decideFolder(deleted("~/d", 2, vv(A, 1, B, 1), B))).isEqualTo("CONFLICT folder");
    }
}
