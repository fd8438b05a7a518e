package org.ciphersync.session.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.wire.WireException;
import org.ciphersync.session.wire.WireWriter;
import org.junit.jupiter.api.Test;

/** Parts carrying chunks of several files: exact round trips, bound to run and part id, hostile layouts refused. */
class FilePartTest {
    private static final SessionId SESSION = new SessionId(12345);
    private static final byte[] KEY = new byte[32];

    private static SecretBytes key() {
        return SecretBytes.copyOf(KEY);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void chunksOfManyFiles_comeBackWithTheirFileIndexAndBytes() throws Exception {
        FilePart.Builder b = new FilePart.Builder();
        FilePart.FileRef x = new FilePart.FileRef("A1", "docs/x.txt");
        FilePart.FileRef y = new FilePart.FileRef("A1", "photos/é y.jpg");
        byte[] x0 = bytes(3000, 1);
        byte[] y0 = bytes(70_000, 2);
        byte[] x1 = "text text text text text text text text".repeat(100).getBytes();
        b.add(x, 0, x0, 0, x0.length);
        b.add(y, 4, y0, 0, y0.length);
        b.add(x, 1, x1, 0, x1.length);
        assertThat(b.files()).containsExactly(x, y);
        byte[] sealed;
        try (SecretBytes k = key()) {
            sealed = b.sealAndReset(SESSION, k, 3, 77, "p4d-1-0");
        }
        assertThat(b.isEmpty()).isTrue();
        FilePart.Data data;
        try (SecretBytes k = key()) {
            data = FilePart.open(SESSION, k, 3, 77, "p4d-1-0", sealed);
        }
        List<FilePart.Chunk> chunks = FilePart.unpack(data);
        assertThat(chunks).extracting(FilePart.Chunk::file).containsExactly(x, y, x);
        assertThat(chunks).extracting(FilePart.Chunk::index).containsExactly(0, 4, 1);
        for (int i = 0; i < 3; i++) {
            FilePart.Chunk c = chunks.get(i);
            assertThat(Arrays.copyOfRange(data.buf(), c.offset(), c.offset() + c.length())).isEqualTo(List.of(x0, y0, x1).get(i));
        }
    }

    @Test
    void aFullPartOfRandomBytes_isStoredUncompressed_andOneOfTextIsCompressed() throws Exception {
        byte[] random = bytes(FilePart.PART_SIZE - (1 << 20), 3);
        byte[] text = "a line of text that repeats, as logs and sources do\n".repeat(300_000).getBytes();
        for (byte[] content : List.of(random, text)) {
            FilePart.Builder b = new FilePart.Builder();
            b.add(new FilePart.FileRef("A1", "f"), 0, content, 0, content.length);
            int plain = b.size();
            byte[] sealed;
            try (SecretBytes k = key()) {
                sealed = b.sealAndReset(SESSION, k, 3, 77, "p4d-1-0");
            }
            if (content == random) {
                assertThat(FilePart.worthCompressing(content, 0, content.length)).as("samples of random bytes").isFalse();
                assertThat(sealed.length).as("random bytes: stored as they are (header and tags only)")
                        .isBetween(plain + 5, plain + 5 + 16 * (plain / (64 << 10) + 2) + 64);
            } else {
                assertThat(sealed.length).as("text: compressed").isLessThan(plain / 10);
            }
            FilePart.Data back;
            try (SecretBytes k = key()) {
                back = FilePart.open(SESSION, k, 3, 77, "p4d-1-0", sealed);
            }
            FilePart.Chunk c = FilePart.unpack(back).getFirst();
            assertThat(Arrays.copyOfRange(back.buf(), c.offset(), c.offset() + c.length())).isEqualTo(content);
        }
    }

    @Test
    void aPartOpenedAsAnotherPartId_run_orEpoch_doesNotAuthenticate() {
        FilePart.Builder b = new FilePart.Builder();
        b.add(new FilePart.FileRef("A1", "a"), 0, new byte[10], 0, 10);
        byte[] sealed;
        try (SecretBytes k = key()) {
            sealed = b.sealAndReset(SESSION, k, 3, 77, "p4d-1-0");
        }
        for (Object[] other : List.of(new Object[] {3L, 77L, "p4d-1-1"}, new Object[] {3L, 78L, "p4d-1-0"},
                new Object[] {4L, 77L, "p4d-1-0"})) {
            assertThatThrownBy(() -> {
                try (SecretBytes k = key()) {
                    FilePart.open(SESSION, k, (Long) other[0], (Long) other[1], (String) other[2], sealed);
                }
            }).isInstanceOf(WireException.class).hasMessageContaining("does not authenticate");
        }
    }

    @Test
    void aCompressedPartThatDoesNotExpandToItsDeclaredLength_isRefused() {
        SecretBytes k = SecretBytes.random(new java.security.SecureRandom(), 32);
        SessionId s = new SessionId(9);
        byte[] z = com.github.luben.zstd.Zstd.compress(new byte[1000]);
        for (byte[] data : List.of(z, new byte[] {1, 2, 3, 4, 5, 6, 7, 8})) {
            for (int claimed : new int[] {999, 1001, 10}) {
                byte[] framed = new byte[5 + data.length];
                framed[0] = 1;
                framed[1] = (byte) (claimed >>> 24);
                framed[2] = (byte) (claimed >>> 16);
                framed[3] = (byte) (claimed >>> 8);
                framed[4] = (byte) claimed;
                System.arraycopy(data, 0, framed, 5, data.length);
                byte[] sealed = FilePart.sealFramed(s, k, 1, 2, "p", framed);
                assertThatThrownBy(() -> FilePart.open(s, k, 1, 2, "p", sealed)).as("claimed " + claimed)
                        .isInstanceOf(WireException.class).hasMessageContaining("does not decompress");
            }
        }
    }

    @Test
    void hostileLayouts_areRefused() {
        WireWriter table = new WireWriter().u8(0).u8(1).text("A1").text("a");
        byte[] noFile = new WireWriter().u8(0).u8(0).toByteArray();
        byte[] unknownFile = raw(table).u8(0).u8(1).u32(0).u32(1).u8(7).toByteArray();
        byte[] tooLong = raw(new WireWriter().u8(0).u8(1).text("A1").text("a")).u8(0).u8(0).u32(0).u32(5).u8(7).toByteArray();
        byte[] cutHeader = raw(new WireWriter().u8(0).u8(1).text("A1").text("a")).u8(0).u8(0).u32(0).toByteArray();
        byte[] controlInPath = new WireWriter().u8(0).u8(1).text("A1").text("a\nb").toByteArray();
        for (byte[] bad : List.of(noFile, unknownFile, tooLong, cutHeader, controlInPath)) {
            assertThatThrownBy(() -> FilePart.unpack(bad)).isInstanceOf(WireException.class);
        }
    }

    @Test
    void aBuilderClosesThePartBeforeItOutgrowsItsSize_butAlwaysTakesAFirstChunk() {
        FilePart.Builder b = new FilePart.Builder();
        FilePart.FileRef f = new FilePart.FileRef("A1", "big");
        assertThat(b.fits(f, FilePart.PART_SIZE + 100)).as("an empty part takes any chunk").isTrue();
        byte[] chunk = new byte[256 * 1024];
        int added = 0;
        while (b.fits(f, chunk.length)) {
            b.add(f, added++, chunk, 0, chunk.length);
        }
        assertThat(b.size()).isLessThanOrEqualTo(FilePart.PART_SIZE);
        assertThat((long) b.size() + 10 + chunk.length).isGreaterThan(FilePart.PART_SIZE);
    }

    private static WireWriter raw(WireWriter w) {
        return w;
    }
}
