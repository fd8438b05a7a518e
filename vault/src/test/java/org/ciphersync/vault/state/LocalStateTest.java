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
import org.ciphersync.vault.repo.Head;
import org.ciphersync.vault.sync.SyncedVersion;
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
