package org.ciphersync.session.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Received chunks survive a crash, and nothing kept in the state area is trusted without its hash. */
class PartialFileTest {
    @TempDir
    Path dir;

    private static final int[] LENGTHS = {5, 7, 3};
    private static final byte[][] CHUNKS = {"AAAAA".getBytes(), "BBBBBBB".getBytes(), "CCC".getBytes()};

    private static byte[] hashes() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(32 * CHUNKS.length);
        for (byte[] c : CHUNKS) {
            b.put(MessageDigest.getInstance("SHA-256").digest(c));
        }
        return b.array();
    }

    private static byte[] fileHash() throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(hashes());
    }

    /** Receives chunks 0 and 2 and "crashes" (closes without completing). */
    private void receiveTwoChunks() throws Exception {
        try (PartialFile pf = PartialFile.open(dir, fileHash(), LENGTHS, hashes())) {
            pf.write(0, CHUNKS[0], 0, 5);
            pf.write(2, CHUNKS[2], 0, 3);
            pf.commit(List.of(0, 2));
            pf.write(1, CHUNKS[1], 0, 7); // written but never committed: not trusted after the crash
        }
    }

    @Test
    void committedChunks_areTakenBackAfterACrash_andUncommittedOnesAreNot() throws Exception {
        receiveTwoChunks();
        try (PartialFile pf = PartialFile.open(dir, fileHash(), LENGTHS, hashes())) {
            assertThat(pf.has(0)).isTrue();
            assertThat(pf.has(1)).isFalse();
            assertThat(pf.has(2)).isTrue();
            assertThat(pf.resumedBytes()).isEqualTo(8);
            assertThat(pf.discardedChunks()).isZero();
            pf.write(1, CHUNKS[1], 0, 7);
            pf.commit(List.of(1));
            assertThat(pf.complete()).isTrue();
            assertThat(Files.readString(pf.file())).isEqualTo("AAAAABBBBBBBCCC");
        }
    }

    @Test
    void aChunkModifiedInTheStateArea_isDiscardedAndFetchedAgain() throws Exception {
        receiveTwoChunks();
        Path part = PartialFile.recordPath(dir, fileHash()).resolveSibling(java.util.HexFormat.of().formatHex(fileHash()) + ".part");
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("X".getBytes()), 13); // inside chunk 2
        }
        try (PartialFile pf = PartialFile.open(dir, fileHash(), LENGTHS, hashes())) {
            assertThat(pf.has(0)).isTrue();
            assertThat(pf.has(2)).as("tampered chunk").isFalse();
            assertThat(pf.discardedChunks()).isEqualTo(1);
            assertThat(pf.resumedBytes()).isEqualTo(5);
        }
    }

    @Test
    void aDamagedOrForeignRecord_discardsTheWholeState() throws Exception {
        receiveTwoChunks();
        Path have = PartialFile.recordPath(dir, fileHash());
        byte[] rec = Files.readAllBytes(have);
        rec[10] ^= 1; // the file hash inside the record no longer matches its name
        Files.write(have, rec);
        try (PartialFile pf = PartialFile.open(dir, fileHash(), LENGTHS, hashes())) {
            assertThat(pf.resumedBytes()).isZero();
            assertThat(pf.has(0)).isFalse();
        }
        receiveTwoChunks();
        Files.write(have, new byte[] {0, 0, 0, 9}, StandardOpenOption.APPEND); // chunk 9 of 3
        try (PartialFile pf = PartialFile.open(dir, fileHash(), LENGTHS, hashes())) {
            assertThat(pf.resumedBytes()).isZero();
        }
    }

    @Test
    void anIndexTornByACrashWhileAppending_isIgnored_andTheWholeOnesCount() throws Exception {
        receiveTwoChunks();
        Path have = PartialFile.recordPath(dir, fileHash());
        Files.write(have, new byte[] {0, 0}, StandardOpenOption.APPEND);
        try (PartialFile pf = PartialFile.open(dir, fileHash(), LENGTHS, hashes())) {
            assertThat(pf.resumedBytes()).isEqualTo(8);
            pf.write(1, CHUNKS[1], 0, 7);
            pf.commit(List.of(1));
        }
        try (PartialFile pf = PartialFile.open(dir, fileHash(), LENGTHS, hashes())) {
            assertThat(pf.resumedBytes()).as("records appended after the torn one are aligned").isEqualTo(15);
            assertThat(pf.complete()).isTrue();
        }
    }

    @Test
    void aCompleteFile_movesToItsTarget_withItsDateAndMode_andLeavesNoState() throws Exception {
        Path target = Files.createDirectories(dir.resolve("out")).resolve("f.txt");
        try (PartialFile pf = PartialFile.open(dir, fileHash(), LENGTHS, hashes())) {
            for (int i = 0; i < 3; i++) {
                pf.write(i, CHUNKS[i], 0, LENGTHS[i]);
            }
            pf.commit(List.of(0, 1, 2));
            pf.moveTo(target, 1_600_000_000_123_456_789L, 0640);
        }
        assertThat(Files.readString(target)).isEqualTo("AAAAABBBBBBBCCC");
        assertThat(Files.getLastModifiedTime(target).to(java.util.concurrent.TimeUnit.NANOSECONDS)).isEqualTo(1_600_000_000_123_456_789L);
        if (Files.getFileStore(target).supportsFileAttributeView("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
        }
        String name = java.util.HexFormat.of().formatHex(fileHash());
        assertThat(PartialFile.recordPath(dir, fileHash()).resolveSibling(name + ".part")).doesNotExist();
        assertThat(PartialFile.recordPath(dir, fileHash())).doesNotExist();
    }

    @Test
    void aMove_neverReplacesAnItemThatAppearedAtTheTarget_andKeepsThePartialFile() throws Exception {
        Path target = Files.createDirectories(dir.resolve("out")).resolve("f.txt");
        Files.writeString(target, "written meanwhile");
        try (PartialFile pf = PartialFile.open(dir, fileHash(), LENGTHS, hashes())) {
            for (int i = 0; i < 3; i++) {
                pf.write(i, CHUNKS[i], 0, LENGTHS[i]);
            }
            pf.commit(List.of(0, 1, 2));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pf.moveTo(target, 0, -1))
                    .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
            assertThat(Files.readString(pf.file())).isEqualTo("AAAAABBBBBBBCCC");
        }
        assertThat(Files.readString(target)).isEqualTo("written meanwhile");
        try (PartialFile pf = PartialFile.open(dir, fileHash(), LENGTHS, hashes())) {
            assertThat(pf.complete()).as("the partial file and its record are still there").isTrue();
        }
    }

    @Test
    void anotherVersionOfTheFile_neverMatchesTheStaleState() throws Exception {
        receiveTwoChunks();
        byte[] otherHashes = hashes();
        otherHashes[0] ^= 1;
        byte[] otherFileHash = MessageDigest.getInstance("SHA-256").digest(otherHashes);
        try (PartialFile pf = PartialFile.open(dir, otherFileHash, LENGTHS, otherHashes)) {
            assertThat(pf.resumedBytes()).isZero();
            assertThat(pf.has(2)).isFalse();
        }
    }

    @Test
    void partialFiles_liveInAFolderNamedByTheHashsFirstTwoDigits() throws Exception {
        receiveTwoChunks();
        String name = java.util.HexFormat.of().formatHex(fileHash());
        assertThat(dir.resolve(name.substring(0, 2)).resolve(name + ".have")).isRegularFile();
        assertThat(dir.resolve(name.substring(0, 2)).resolve(name + ".part")).isRegularFile();
        assertThat(PartialFile.exists(dir, fileHash())).isTrue();
    }

    @Test
    void prune_removesStaleTransfers_inShardsAndInTheEarlierFlatLayout_andKeepsRecentOnes() throws Exception {
        receiveTwoChunks();
        Path have = PartialFile.recordPath(dir, fileHash());
        Path flat = Files.writeString(dir.resolve("ab".repeat(32) + ".part"), "old");
        Path flatHave = Files.writeString(dir.resolve("ab".repeat(32) + ".have"), "old");
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(30)));
        Files.setLastModifiedTime(flatHave, old);
        PartialFile.prune(dir, java.time.Duration.ofDays(7));
        assertThat(flat).doesNotExist();
        assertThat(flatHave).doesNotExist();
        assertThat(have).as("a transfer recorded just now is kept").exists();
        Files.setLastModifiedTime(have, old);
        PartialFile.prune(dir, java.time.Duration.ofDays(7));
        assertThat(have).doesNotExist();
        assertThat(have.resolveSibling(java.util.HexFormat.of().formatHex(fileHash()) + ".part")).doesNotExist();
    }
}
