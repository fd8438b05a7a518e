package org.ciphersync.vault.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.vault.chain.Versions.A;
import static org.ciphersync.vault.chain.Versions.file;
import static org.ciphersync.vault.chain.Versions.vv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.Versions;
import org.ciphersync.vault.repo.Head;
import org.ciphersync.vault.sync.SyncedVersion;
import org.ciphersync.vault.tree.BlobId;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local state file (docs/design.md (Vault) §8): folders round-trip; CSS1 files are still read. */
class LocalStateTest {
    private static final String VAULT = "ab".repeat(16);

    @TempDir
    Path tmp;

    private StateDirs dirs() {
        return StateDirs.under(tmp.resolve("state"), tmp.resolve("home"));
    }

    private static LocalState sample() {
        FileVersion folder = FileVersion.folder(VaultPath.parse("~/docs"), 123_456_789L, 0750, vv(A, 2), A, 1000);
        FileVersion f = file("~/docs/a.txt", "a", 5, vv(A, 1), A);
        return new LocalState(Map.of(folder.path(), new SyncedVersion(folder, 0, 123_456_789L), f.path(), new SyncedVersion(f, 1, 5)),
                Map.of(A, new Head(2, "cd".repeat(32))));
    }

    @Test
    void saveThenLoad_keepsFolderVersionsAndTheirLocalTimes() throws IOException {
        sample().save(dirs(), VAULT, "files");
        LocalState back = LocalState.load(dirs(), VAULT, "files");
        assertThat(back.synced()).isEqualTo(sample().synced());
        assertThat(back.heads()).isEqualTo(sample().heads());
    }

    @Test
    void aRecordedVersionEqualToAKnownOne_isThatInstance_andADifferentOneIsNot() throws IOException {
        sample().save(dirs(), VAULT, "files");
        FileVersion same = file("~/docs/a.txt", "a", 5, vv(A, 1), A);
        FileVersion newer = FileVersion.folder(VaultPath.parse("~/docs"), 999L, 0750, vv(A, 3), A, 2000);
        Map<VaultPath, FileVersion> known = Map.of(same.path(), same, newer.path(), newer);
        LocalState back = LocalState.load(dirs(), VAULT, "files", known::get);
        assertThat(back.synced().get(same.path()).version()).isSameAs(same);
        assertThat(back.synced().get(newer.path()).version()).isNotSameAs(newer).isNotEqualTo(newer);
        assertThat(back.synced()).isEqualTo(sample().synced());
    }

    @Test
    void aStateFileOfFormatCss1_isStillRead() throws IOException {
        LocalState filesOnly = new LocalState(Map.of(VaultPath.parse("~/a.txt"),
                new SyncedVersion(file("~/a.txt", "a", 5, vv(A, 1), A), 1, 5)), Map.of());
        filesOnly.save(dirs(), VAULT, "files");
        rewrite(raw -> {
            assertThat(new String(raw, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("CSS2");
            System.arraycopy("CSS1".getBytes(StandardCharsets.US_ASCII), 0, raw, 0, 4);
        });
        assertThat(LocalState.load(dirs(), VAULT, "files").synced()).isEqualTo(filesOnly.synced());
    }

    @Test
    void aFolderEntryWithContent_isReportedAsDamaged() throws IOException {
        sample().save(dirs(), VAULT, "files");
        rewrite(raw -> {
            // the first entry is ~/docs (sorted): its size field follows path and kind
            int at = 4 + 4 + (16 + 8 + 32) + 4 + 2 + "~/docs".length() + 1;
            raw[at + 7] = 9;
        });
        assertThatThrownBy(() -> LocalState.load(dirs(), VAULT, "files")).isInstanceOf(VaultException.class)
                .hasMessageContaining("damaged").hasMessageContaining("cannot have content");
    }

    /** Entries are read through a buffer: records larger than it, and many records, come back whole. */
    @Test
    void aLargeState_withARecordLargerThanTheReadBuffer_roundTrips() throws IOException {
        Map<VaultPath, SyncedVersion> synced = new java.util.HashMap<>();
        for (int i = 0; i < 5000; i++) {
            FileVersion f = file("~/d" + (i % 50) + "/f" + i + ".txt", "c" + i, i, vv(A, 1 + i % 3), A);
            synced.put(f.path(), new SyncedVersion(f, i, i * 7L));
        }
        java.util.List<BlobId> chunks = new java.util.ArrayList<>();
        for (int c = 0; c < 10_000; c++) { // 320 KB of chunk ids in one record
            chunks.add(BlobId.of(Versions.sha("chunk " + c)));
        }
        FileVersion big = new FileVersion(VaultPath.parse("~/big.bin"), EntryKind.FILE, 10_000L << 20, 42, 0600,
                Versions.sha("big"), chunks, "", vv(A, 4), A, 99);
        synced.put(big.path(), new SyncedVersion(big, big.size(), 42));
        LocalState state = new LocalState(synced, Map.of(A, new Head(4, "ef".repeat(32))));
        state.save(dirs(), VAULT, "files");
        LocalState back = LocalState.load(dirs(), VAULT, "files");
        assertThat(back.synced()).isEqualTo(state.synced());
        assertThat(back.synced().get(big.path()).version().chunks()).isEqualTo(chunks);
        assertThat(back.heads()).isEqualTo(state.heads());
    }

    @Test
    void aTruncatedStateFile_isReportedAsDamaged() throws IOException {
        sample().save(dirs(), VAULT, "files");
        Path f = LocalState.file(dirs(), VAULT, "files");
        byte[] raw;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            raw = in.readAllBytes();
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bos)) {
            out.write(raw, 0, raw.length - 20);
        }
        Files.write(f, bos.toByteArray());
        assertThatThrownBy(() -> LocalState.load(dirs(), VAULT, "files")).isInstanceOf(VaultException.class)
                .hasMessageContaining("damaged");
    }

    private void rewrite(java.util.function.Consumer<byte[]> edit) throws IOException {
        Path f = LocalState.file(dirs(), VAULT, "files");
        byte[] raw;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            raw = in.readAllBytes();
        }
        edit.accept(raw);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bos)) {
            out.write(raw);
        }
        Files.write(f, bos.toByteArray());
    }
}
