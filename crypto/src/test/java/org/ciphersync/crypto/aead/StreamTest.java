package org.ciphersync.crypto.aead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ciphersync.crypto.AuthenticationFailedException;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

class StreamTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SEG = StreamSealer.MIN_SEGMENT_SIZE;
    private static final AeadContext CTX = AeadContext.vault("vault-1", "files", "file", new byte[] {1}, 0);
    private final SecretBytes key = SecretBytes.random(RANDOM, 32);

    /** Seals with the buffer API; returns header, then one array per segment. */
    private List<byte[]> sealSegments(byte[] plaintext, AeadContext ctx) {
        StreamSealer s = new StreamSealer(key, ctx, SEG, RANDOM);
        List<byte[]> parts = new ArrayList<>();
        parts.add(s.header());
        int off = 0;
        do {
            int n = Math.min(SEG, plaintext.length - off);
            boolean last = off + n == plaintext.length;
            byte[] out = new byte[n + StreamSealer.TAG_LENGTH];
            assertThat(s.sealSegment(plaintext, off, n, last, out, 0)).isEqualTo(out.length);
            parts.add(out);
            off += n;
            if (last) {
                break;
            }
        } while (true);
        assertThat(s.isFinished()).isTrue();
        return parts;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        parts.forEach(b::writeBytes);
        return b.toByteArray();
    }

    private byte[] openAll(byte[] stream, AeadContext ctx, SecretBytes k) throws IOException {
        try (InputStream in = new DecryptingInputStream(new ByteArrayInputStream(stream), k, ctx)) {
            return in.readAllBytes();
        }
    }

    private byte[] openAll(byte[] stream) throws IOException {
        return openAll(stream, CTX, key);
    }

    @Provide
    Arbitrary<Integer> sizesAroundSegmentBoundaries() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, SEG - 1, SEG, SEG + 1, 2 * SEG - 1, 2 * SEG, 2 * SEG + 1, 5 * SEG, 7 * SEG + 3),
                Arbitraries.integers().between(0, 12 * SEG));
    }

    @Property(tries = 200)
    void bufferApi_sealThenOpen_returnsThePlaintext(@ForAll("sizesAroundSegmentBoundaries") int size) throws Exception {
        byte[] plaintext = new byte[size];
        RANDOM.nextBytes(plaintext);
        List<byte[]> parts = sealSegments(plaintext, CTX);
        assertThat(concat(parts)).hasSize((int) StreamSealer.sealedLength(size, SEG));
        StreamOpener o = new StreamOpener(key, CTX, parts.get(0), 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[SEG];
        for (int i = 1; i < parts.size(); i++) {
            byte[] seg = parts.get(i);
            int n = o.openSegment(seg, 0, seg.length, i == parts.size() - 1, buf, 0);
            out.write(buf, 0, n);
        }
        o.finish();
        assertThat(out.toByteArray()).isEqualTo(plaintext);
    }

    @Property(tries = 200)
    void javaIoStreams_writeInOddPieces_thenReadBack(@ForAll("sizesAroundSegmentBoundaries") int size) throws Exception {
        byte[] plaintext = new byte[size];
        RANDOM.nextBytes(plaintext);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (EncryptingOutputStream out = new EncryptingOutputStream(sink, new StreamSealer(key, CTX, SEG, RANDOM))) {
            int off = 0;
            while (off < size) {
                int n = Math.min(size - off, 1 + RANDOM.nextInt(3 * SEG));
                out.write(plaintext, off, n);
                off += n;
            }
        }
        assertThat(sink.size()).isEqualTo((int) StreamSealer.sealedLength(size, SEG));
        assertThat(openAll(sink.toByteArray())).isEqualTo(plaintext);
    }

    @Test
    void everySingleBitFlip_ofHeaderCiphertextAndTag_isRejected() throws Exception {
        byte[] plaintext = new byte[SEG + 100];
        RANDOM.nextBytes(plaintext);
        byte[] stream = concat(sealSegments(plaintext, CTX));
        for (int bit = 0; bit < stream.length * 8; bit++) {
            stream[bit / 8] ^= (byte) (1 << (bit % 8));
            try {
                openAll(stream);
                throw new AssertionError("bit flip " + bit + " was not detected");
            } catch (CiphertextIOException e) {
                assertThat(e.reason()).isInstanceOfAny(AuthenticationFailedException.class, MalformedCiphertextException.class);
            }
            stream[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        assertThat(openAll(stream)).isEqualTo(plaintext);
    }

    @Test
    void truncation_atEverySegmentBoundaryAndInside_isRejected() {
        byte[] plaintext = new byte[3 * SEG + 10];
        byte[] stream = concat(sealSegments(plaintext, CTX));
        int full = SEG + StreamSealer.TAG_LENGTH;
        int[] cuts = {0, 10, StreamSealer.HEADER_LENGTH, StreamSealer.HEADER_LENGTH + 1, StreamSealer.HEADER_LENGTH + full,
            StreamSealer.HEADER_LENGTH + 2 * full, StreamSealer.HEADER_LENGTH + 3 * full, StreamSealer.HEADER_LENGTH + 3 * full + 5,
            stream.length - 1};
        for (int cut : cuts) {
            byte[] t = Arrays.copyOf(stream, cut);
            assertThatThrownBy(() -> openAll(t)).as("cut at %d", cut).isInstanceOf(CiphertextIOException.class);
        }
    }

    @Test
    void truncation_atSegmentBoundary_withBufferApi_failsOnTheNewLastSegmentOrAtFinish() throws Exception {
        List<byte[]> parts = sealSegments(new byte[2 * SEG + 1], CTX);
        StreamOpener o = new StreamOpener(key, CTX, parts.get(0), 0);
        byte[] buf = new byte[SEG];
        o.openSegment(parts.get(1), 0, parts.get(1).length, false, buf, 0);
        // an attacker dropped segments 2 and 3: the reader sees segment 1 as last
        assertThatThrownBy(() -> o.openSegment(parts.get(2), 0, parts.get(2).length, true, buf, 0))
                .isInstanceOf(AuthenticationFailedException.class);
        StreamOpener o2 = new StreamOpener(key, CTX, parts.get(0), 0);
        o2.openSegment(parts.get(1), 0, parts.get(1).length, false, buf, 0);
        assertThatThrownBy(o2::finish).isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("truncated");
    }

    @Test
    void reorderedSegments_areRejected() {
        List<byte[]> parts = sealSegments(new byte[3 * SEG + 1], CTX);
        List<byte[]> swapped = new ArrayList<>(parts);
        swapped.set(1, parts.get(2));
        swapped.set(2, parts.get(1));
        assertThatThrownBy(() -> openAll(concat(swapped))).isInstanceOf(CiphertextIOException.class)
                .hasMessageContaining("segment 0 failed authentication");
    }

    @Test
    void duplicatedSegment_isRejected() {
        List<byte[]> parts = sealSegments(new byte[2 * SEG + 1], CTX);
        List<byte[]> dup = new ArrayList<>(parts);
        dup.add(2, parts.get(1));
        assertThatThrownBy(() -> openAll(concat(dup))).isInstanceOf(CiphertextIOException.class);
    }

    @Test
    void segmentSplicedFromAnotherObject_underTheSameKeyAndContext_isRejected() {
        List<byte[]> a = sealSegments(new byte[2 * SEG + 1], CTX);
        List<byte[]> b = sealSegments(new byte[2 * SEG + 1], CTX);
        List<byte[]> spliced = new ArrayList<>(a);
        spliced.set(2, b.get(2));
        assertThatThrownBy(() -> openAll(concat(spliced))).isInstanceOf(CiphertextIOException.class);
        List<byte[]> otherHeader = new ArrayList<>(a);
        otherHeader.set(0, b.get(0));
        assertThatThrownBy(() -> openAll(concat(otherHeader))).isInstanceOf(CiphertextIOException.class);
    }

    @Test
    void dataAfterTheFinalSegment_isRejected() throws Exception {
        List<byte[]> parts = sealSegments(new byte[10], CTX);
        StreamOpener o = new StreamOpener(key, CTX, parts.get(0), 0);
        byte[] buf = new byte[SEG];
        o.openSegment(parts.get(1), 0, parts.get(1).length, true, buf, 0);
        assertThatThrownBy(() -> o.openSegment(parts.get(1), 0, parts.get(1).length, true, buf, 0))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("after its final segment");
        byte[] extended = concat(List.of(concat(parts), new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> openAll(extended)).isInstanceOf(CiphertextIOException.class);
    }

    @Test
    void wrongContextOrWrongKey_isRejected() {
        byte[] stream = concat(sealSegments(new byte[SEG + 5], CTX));
        assertThatThrownBy(() -> openAll(stream, CTX.withIndex(1), key)).isInstanceOf(CiphertextIOException.class);
        assertThatThrownBy(() -> openAll(stream, CTX, SecretBytes.random(RANDOM, 32))).isInstanceOf(CiphertextIOException.class)
                .hasMessageContaining("key is wrong");
    }

    @Test
    void afterAFailure_theOpenerRefusesFurtherSegments() throws Exception {
        List<byte[]> parts = sealSegments(new byte[2 * SEG + 1], CTX);
        StreamOpener o = new StreamOpener(key, CTX, parts.get(0), 0);
        byte[] buf = new byte[SEG];
        byte[] bad = parts.get(1).clone();
        bad[0] ^= 1;
        assertThatThrownBy(() -> o.openSegment(bad, 0, bad.length, false, buf, 0)).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> o.openSegment(parts.get(1), 0, parts.get(1).length, false, buf, 0))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("already failed");
    }

    @Test
    void sealer_misuse_isRefused() {
        StreamSealer s = new StreamSealer(key, CTX, SEG, RANDOM);
        byte[] out = new byte[SEG + 16];
        assertThatThrownBy(() -> s.sealSegment(new byte[10], 0, 10, false, out, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-final segment 0 has 10 bytes");
        s.sealSegment(new byte[0], 0, 0, true, out, 0);
        assertThatThrownBy(() -> s.sealSegment(new byte[0], 0, 0, true, out, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new StreamSealer(key, CTX, 5000, RANDOM)).hasMessageContaining("segment size 5000");
    }

    @Test
    void header_withHostileSegmentSize_isRefusedBeforeAllocating() {
        byte[] header = new StreamSealer(key, CTX, SEG, RANDOM).header();
        header[4] = 0x7f; // 2 GiB segments
        assertThatThrownBy(() -> new StreamOpener(key, CTX, header, 0)).isInstanceOf(MalformedCiphertextException.class)
                .hasMessageContaining("segment size");
    }

    @Test
    void defaultSegmentSize_is64KiB_theLargestPieceFedToTheCipher() throws CryptoException {
        StreamSealer s = new StreamSealer(key, CTX);
        assertThat(s.segmentSize()).isEqualTo(64 * 1024);
        assertThat(new StreamOpener(key, CTX, s.header(), 0).segmentSize()).isEqualTo(64 * 1024);
    }

    @org.junit.jupiter.api.Test
    void aWholeMessageSealedAsAStream_opensToItsBytes_andAnyChangeOrCutIsRefused() throws Exception {
        AeadContext ctx = AeadContext.session("S", "file-part", new byte[32], 3);
        AeadContext other = AeadContext.session("S", "file-part", new byte[32], 4);
        try (org.ciphersync.crypto.secret.SecretBytes k = org.ciphersync.crypto.secret.SecretBytes.copyOf(new byte[32])) {
            for (int n : new int[] {0, 1, 65_535, 65_536, 65_537, 3 * 65_536, 200_001}) {
                byte[] plain = new byte[n + 7];
                new java.util.Random(n).nextBytes(plain);
                byte[] sealed = StreamSealer.sealAll(k, ctx, plain, 7, n);
                org.assertj.core.api.Assertions.assertThat(sealed).hasSize((int) StreamSealer.sealedLength(n, StreamSealer.DEFAULT_SEGMENT_SIZE));
                org.assertj.core.api.Assertions.assertThat(StreamOpener.openAll(k, ctx, sealed, 0, sealed.length))
                        .isEqualTo(java.util.Arrays.copyOfRange(plain, 7, 7 + n));
                byte[] flipped = sealed.clone();
                flipped[sealed.length / 2 + 20] ^= 1;
                for (byte[] bad : java.util.List.of(flipped, java.util.Arrays.copyOf(sealed, sealed.length - 1),
                        java.util.Arrays.copyOf(sealed, Math.max(0, sealed.length - 65_552)))) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamOpener.openAll(k, ctx, bad, 0, bad.length))
                            .isInstanceOf(org.ciphersync.crypto.CryptoException.class);
                }
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamOpener.openAll(k, other, sealed, 0, sealed.length))
                        .as("another context").isInstanceOf(org.ciphersync.crypto.CryptoException.class);
                // into a reused buffer (larger, written from an offset): the same bytes, the same refusals
                byte[] into = new byte[sealed.length + 9];
                java.util.Arrays.fill(into, (byte) 0x55);
                int got = StreamOpener.openAll(k, ctx, sealed, 0, sealed.length, into, 9);
                org.assertj.core.api.Assertions.assertThat(java.util.Arrays.copyOfRange(into, 9, 9 + got))
                        .isEqualTo(java.util.Arrays.copyOfRange(plain, 7, 7 + n));
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamOpener.openAll(k, ctx, flipped, 0, flipped.length, into, 0))
                        .isInstanceOf(org.ciphersync.crypto.CryptoException.class);
            }
        }
    }
}
