package org.ciphersync.session.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ciphersync.session.wire.GroupMessage;
import org.ciphersync.session.wire.WireException;
import org.junit.jupiter.api.Test;

/** A file's MANIFEST pages: the one accepted sequence is reassembled exactly; every other one is refused. */
class ManifestAssemblerTest {
    private static final int SOURCE = 1;
    private static final int MIN_CHUNK = 16;

    /** A manifest of {@code n} chunks of 20..51 bytes, with real hashes. */
    private static FileManifest manifest(String path, int n, long seed) throws Exception {
        Random r = new Random(seed);
        int[] lengths = new int[n];
        byte[] hashes = new byte[32 * n];
        for (int i = 0; i < n; i++) {
            lengths[i] = 20 + r.nextInt(32);
            byte[] h = new byte[32];
            r.nextBytes(h);
            System.arraycopy(h, 0, hashes, 32 * i, 32);
        }
        return new FileManifest("A1", path, MessageDigest.getInstance("SHA-256").digest(hashes), lengths, hashes, List.of(2, 3));
    }

    private static FileManifest feed(ManifestAssembler asm, List<GroupMessage.Manifest> pages, long size) throws WireException {
        FileManifest done = null;
        for (GroupMessage.Manifest p : pages) {
            assertThat(done).as("nothing after the last page").isNull();
            done = asm.accept(SOURCE, p, size);
        }
        return done;
    }

    @Test
    void pagesInOrder_giveBackTheWholeManifest_whateverThePageSize() throws Exception {
        FileManifest mf = manifest("video.mp4", 1234, 1);
        for (int pageSize : new int[] {1, 7, 100, 1233, 1234, 20_000}) {
            List<GroupMessage.Manifest> pages = mf.pages(9, pageSize);
            assertThat(pages).hasSize((1234 + pageSize - 1) / pageSize);
            ManifestAssembler asm = new ManifestAssembler(MIN_CHUNK);
            FileManifest back = feed(asm, pages, mf.size());
            assertThat(back).as("page size " + pageSize).isEqualTo(mf);
            assertThat(asm.progress("A1", "video.mp4")).isNull();
        }
    }

    @Test
    void anEmptyFile_isOnePageOfNoChunks() throws Exception {
        FileManifest empty = new FileManifest("A1", "e", MessageDigest.getInstance("SHA-256").digest(new byte[0]), new int[0], new byte[0],
                List.of(2));
        List<GroupMessage.Manifest> pages = empty.pages(9, 100);
        assertThat(pages).hasSize(1);
        assertThat(new ManifestAssembler(MIN_CHUNK).accept(SOURCE, pages.getFirst(), 0)).isEqualTo(empty);
    }

    @Test
    void anIncompleteSequence_givesNothing_andSaysHowFarItGot() throws Exception {
        FileManifest mf = manifest("a", 300, 2);
        List<GroupMessage.Manifest> pages = mf.pages(9, 100);
        ManifestAssembler asm = new ManifestAssembler(MIN_CHUNK);
        assertThat(feed(asm, pages.subList(0, 2), mf.size())).isNull();
        assertThat(asm.progress("A1", "a")).isEqualTo("200 of 300 chunks");
    }

    /** Feeds {@code pages}; the last one must be refused with a message containing {@code expected}. */
    private static void refused(List<GroupMessage.Manifest> pages, long size, String expected) throws Exception {
        ManifestAssembler asm = new ManifestAssembler(MIN_CHUNK);
        for (GroupMessage.Manifest p : pages.subList(0, pages.size() - 1)) {
            assertThat(asm.accept(SOURCE, p, size)).isNull();
        }
        assertThatThrownBy(() -> asm.accept(SOURCE, pages.getLast(), size)).isInstanceOf(WireException.class)
                .hasMessageContaining(expected);
        assertThat(asm.progress(pages.getLast().sourceNode(), pages.getLast().path())).as("the assembly is dropped").isNull();
    }

    @Test
    void outOfOrderRepeatedAndOverlappingPages_areRefused() throws Exception {
        FileManifest mf = manifest("a", 300, 3);
        List<GroupMessage.Manifest> p = mf.pages(9, 100);
        refused(List.of(p.get(0), p.get(2)), mf.size(), "out of order");
        refused(List.of(p.get(0), p.get(1), p.get(1)), mf.size(), "out of order, repeated or overlapping");
        refused(List.of(p.get(0), p.get(0)), mf.size(), "started again");
        refused(List.of(p.get(1)), mf.size(), "without the pages before them");
        GroupMessage.Manifest overlapping = page(mf, 50, 100, mf.chunkCount());
        refused(List.of(p.get(0), overlapping), mf.size(), "out of order");
    }

    @Test
    void aPageThatDeclaresAnotherTotal_orBelongsToAnotherFile_isRefused() throws Exception {
        FileManifest mf = manifest("a", 300, 4);
        List<GroupMessage.Manifest> p = mf.pages(9, 100);
        refused(List.of(p.get(0), page(mf, 100, 100, 301)), mf.size(), "declares 301 chunks");
        FileManifest other = manifest("a", 300, 5); // same path, another version
        refused(List.of(p.get(0), other.pages(9, 100).get(1)), mf.size(), "another version");
        FileManifest otherFile = manifest("b", 300, 4);
        refused(List.of(p.get(0), otherFile.pages(9, 100).get(1)), mf.size(), "without the pages before them");
        GroupMessage.Manifest otherRun = mf.pages(10, 100).get(1);
        refused(List.of(p.get(0), otherRun), mf.size(), "another sequence");
    }

    @Test
    void aPageFromAnotherMember_isRefused_butANewFirstPageFromANewOwnerStartsOver() throws Exception {
        FileManifest mf = manifest("a", 300, 6);
        List<GroupMessage.Manifest> p = mf.pages(9, 100);
        ManifestAssembler asm = new ManifestAssembler(MIN_CHUNK);
        asm.accept(SOURCE, p.get(0), mf.size());
        assertThatThrownBy(() -> asm.accept(4, p.get(1), mf.size())).isInstanceOf(WireException.class).hasMessageContaining("another member");
        asm.accept(SOURCE, p.get(0), mf.size());
        assertThat(asm.accept(4, p.get(0), mf.size())).isNull(); // the source node changed hands (takeover)
        assertThat(asm.accept(4, p.get(1), mf.size())).isNull();
        assertThat(asm.accept(4, p.get(2), mf.size())).isEqualTo(mf);
    }

    @Test
    void chunkHashesThatDoNotGiveTheFileHash_orSizesThatDoNotAddUp_areRefused() throws Exception {
        FileManifest mf = manifest("a", 300, 7);
        byte[] hashes = mf.hashes();
        hashes[5 * 32] ^= 1;
        FileManifest forged = new FileManifest("A1", "a", mf.fileHash(), mf.lengths(), hashes, mf.targets());
        refused(forged.pages(9, 100), mf.size(), "does not match its file hash");
        refused(mf.pages(9, 100), mf.size() + 1, "describes " + mf.size() + " bytes");
        refused(mf.pages(9, 100).subList(0, 2), mf.size() - 5000, "more than the");
    }

    @Test
    void aTotalBeyondWhatTheInventoriedSizeAllows_isRefusedAtTheFirstPage() throws Exception {
        FileManifest mf = manifest("a", 300, 8);
        // 300 chunks need at least 299 × 16 bytes: a file of 1000 bytes allows 1000 / 16 + 1 = 63
        refused(mf.pages(9, 100).subList(0, 1), 1000, "more than its 1000 bytes allow");
        GroupMessage.Manifest huge = new GroupMessage.Manifest(9, "A1", "a", mf.fileHash(), GroupMessage.Manifest.MAX_CHUNKS, 0,
                new int[] {20}, new byte[32], List.of(2));
        assertThat(new ManifestAssembler(MIN_CHUNK).accept(SOURCE, huge, Long.MAX_VALUE / 2)).as("allowed, grows with pages only").isNull();
    }

    /** A page of {@code mf} starting at {@code first} with {@code n} chunks, declaring {@code total}. */
    private static GroupMessage.Manifest page(FileManifest mf, int first, int n, int total) {
        return new GroupMessage.Manifest(9, mf.sourceNode(), mf.path(), mf.fileHash(), total, first,
                Arrays.copyOfRange(mf.lengths(), first, first + n), Arrays.copyOfRange(mf.hashes(), first * 32, (first + n) * 32),
                mf.targets());
    }

    @Test
    void pagesOfTwoFiles_mayInterleave() throws Exception {
        FileManifest a = manifest("a", 250, 9);
        FileManifest b = manifest("b", 250, 10);
        List<GroupMessage.Manifest> pa = a.pages(9, 100);
        List<GroupMessage.Manifest> pb = b.pages(9, 100);
        ManifestAssembler asm = new ManifestAssembler(MIN_CHUNK);
        List<FileManifest> done = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (GroupMessage.Manifest p : List.of(pa.get(i), pb.get(i))) {
                FileManifest m = asm.accept(SOURCE, p, p.path().equals("a") ? a.size() : b.size());
                if (m != null) {
                    done.add(m);
                }
            }
        }
        assertThat(done).containsExactly(a, b);
    }
}
