package org.ciphersync.vault.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.aead.StreamOpener;
import org.ciphersync.crypto.keys.KeyHierarchy;
import org.ciphersync.crypto.keys.NamespaceKeys;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.tree.BlobId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Blob sealing, vault format 2 (docs/design.md (Vault) §2.1): every blob is crypto's segmented
 * stream with 64 KiB segments, bound to (vault, namespace, "blob", id). Format 1 sealed each blob
 * as one envelope; it changed because JDK AES-GCM decrypts a 1 MiB message about ten times slower
 * than sixteen 64 KiB ones in a fresh JVM (see {@link BlobCodec}).
 */
class BlobCodecTest {
    private static final String VAULT = "00112233445566778899aabbccddeeff";
    private static final int SEG = BlobCodec.SEGMENT_SIZE;

    private final SecretBytes root = SecretBytes.copyOf(filled(32, 0x11));
    private final NamespaceKeys keys = KeyHierarchy.namespace(root, "files");
    private final BlobCodec codec = new BlobCodec(VAULT, keys, 3, new SecureRandom());

    @AfterEach
    void close() {
        codec.close();
        keys.close();
        root.close();
    }

    /**
     * Salts of 0x5a bytes, so sealed bytes are reproducible. Only for the golden test: with one
     * salt every blob gets the same key, and the JDK refuses (rightly) to encrypt twice in a row
     * under the same key and nonce.
     */
    static final class FixedSalt extends SecureRandom {
        private static final long serialVersionUID = 1L;

        @Override
        public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) 0x5a);
        }
    }

    private static byte[] filled(int n, int b) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) b);
        return a;
    }

    private static byte[] noise(int n, long seed) {
        byte[] a = new byte[n];
        new Random(seed).nextBytes(a);
        return a;
    }

    private byte[] seal(byte[] content) {
        return codec.seal(codec.idOf(content, 0, content.length), content, 0, content.length);
    }

    private byte[] open(byte[] content, byte[] sealed) {
        BlobId id = codec.idOf(content, 0, content.length);
        return codec.open(id, sealed, 0, sealed.length, content.length, "test pack");
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void sealedLayout_ofAFixedBlob_isPinned() throws Exception {
        byte[] content = noise(100_000, 42); // incompressible: stored, plaintext = 0x00 ‖ content
        byte[] sealed;
        try (BlobCodec fixed = new BlobCodec(VAULT, keys, 3, new FixedSalt())) {
            sealed = fixed.seal(fixed.idOf(content, 0, content.length), content, 0, content.length);
        }
        // header "cs" 0x01 'S' segmentSize=65536 salt(32) ‖ segment 0 (65536+16) ‖ final segment 1 (34465+16)
        assertThat(sealed).hasSize(40 + 100_001 + 2 * 16);
        assertThat(HexFormat.of().formatHex(sealed, 0, 40)).isEqualTo("63730153" + "00010000" + "5a".repeat(32));
        assertThat(sha256(sealed)).isEqualTo(GOLDEN_SEALED_SHA256);
        assertThat(open(content, sealed)).isEqualTo(content);
    }

    @Test
    void sealedBlob_isACryptoStreamBoundToVaultNamespaceAndId_openableSegmentBySegment() throws Exception {
        byte[] content = noise(SEG + 10, 7);
        BlobId id = codec.idOf(content, 0, content.length);
        byte[] sealed = codec.seal(id, content, 0, content.length);
        StreamOpener opener = new StreamOpener(keys.dataKey(), AeadContext.vault(VAULT, "files", "blob", id.bytes(), 0), sealed, 0);
        byte[] plain = new byte[content.length + 1];
        int first = opener.openSegment(sealed, 40, SEG + 16, false, plain, 0);
        int second = opener.openSegment(sealed, 40 + SEG + 16, sealed.length - 40 - SEG - 16, true, plain, first);
        opener.finish();
        assertThat(first + second).isEqualTo(content.length + 1);
        assertThat(plain[0]).isEqualTo((byte) 0); // stored flag
        assertThat(Arrays.copyOfRange(plain, 1, plain.length)).isEqualTo(content);
    }

    @Property(tries = 60)
    void sealThenOpen_returnsTheContent_forSizesAroundSegmentBoundaries(
            @ForAll @IntRange(min = 0, max = 4) int segments, @ForAll @IntRange(min = -2, max = 2) int delta,
            @ForAll boolean compressible) {
        int n = Math.max(0, segments * SEG + delta);
        byte[] content = compressible ? filled(n, 'a') : noise(n, n);
        byte[] sealed = seal(content);
        assertThat(open(content, sealed)).isEqualTo(content);
        if (!compressible || n < 64) {
            assertThat((long) sealed.length).isEqualTo(BlobCodec.sealedLength(n + 1));
        }
        assertThat(BlobCodec.openedLength(sealed.length)).isPositive();
    }

    @Test
    void emptyContent_sealsAsOneFinalSegment_andOpens() {
        byte[] sealed = seal(new byte[0]);
        assertThat(sealed).hasSize(40 + 1 + 16);
        assertThat(open(new byte[0], sealed)).isEmpty();
    }

    @Test
    void largeCompressibleChunk_isCompressed_andSpansSeveralSegments() {
        byte[] content = new byte[4 << 20];
        Random r = new Random(3);
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + r.nextInt(4)); // about 2 bits per byte: compresses to several segments
        }
        byte[] sealed = seal(content);
        assertThat(sealed.length).isLessThan(content.length / 2).isGreaterThan(2 * SEG);
        assertThat(open(content, sealed)).isEqualTo(content);
    }

    @Test
    void bitFlipInAnySegmentOrTheHeader_failsAuthentication() {
        byte[] content = noise(3 * SEG + 100, 1);
        byte[] sealed = seal(content);
        for (int pos : new int[] {0, 3, 5, 20, 40, 40 + SEG + 15, 40 + SEG + 16, 40 + 2 * (SEG + 16) + 7, sealed.length - 1}) {
            byte[] bad = sealed.clone();
            bad[pos] ^= 0x04;
            assertThatThrownBy(() -> open(content, bad)).as("flip at %d", pos)
                    .isInstanceOf(VaultException.class).hasMessageContaining("test pack")
                    .satisfies(e -> assertThat(((VaultException) e).kind()).isEqualTo(VaultException.Kind.INTEGRITY));
        }
    }

    @Test
    void droppingTheFinalSegment_isDetectedAsTruncation() {
        byte[] content = noise(2 * SEG + 100, 2);
        byte[] sealed = seal(content);
        // without its final segment the stream ends on a full, non-final segment: the final flag does not verify
        byte[] cut = Arrays.copyOf(sealed, 40 + 2 * (SEG + 16));
        BlobId id = codec.idOf(content, 0, content.length);
        assertThatThrownBy(() -> codec.open(id, cut, 0, cut.length, content.length, "test pack"))
                .isInstanceOf(VaultException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void truncationAtEveryLength_nearSegmentEnds_isDetected() {
        byte[] content = noise(SEG + 50, 4);
        byte[] sealed = seal(content);
        BlobId id = codec.idOf(content, 0, content.length);
        for (int len : new int[] {0, 1, 39, 40, 55, 56, 40 + SEG + 15, 40 + SEG + 16, 40 + SEG + 17, 40 + SEG + 31, sealed.length - 1}) {
            byte[] cut = Arrays.copyOf(sealed, len);
            assertThatThrownBy(() -> codec.open(id, cut, 0, cut.length, content.length, "test pack")).as("length %d", len)
                    .isInstanceOf(VaultException.class);
        }
    }

    @Test
    void swappedSegments_failAuthentication() {
        byte[] content = noise(3 * SEG + 1, 5);
        byte[] sealed = seal(content);
        byte[] swapped = sealed.clone();
        int a = 40;
        int b = 40 + SEG + 16;
        System.arraycopy(sealed, a, swapped, b, SEG + 16);
        System.arraycopy(sealed, b, swapped, a, SEG + 16);
        assertThatThrownBy(() -> open(content, swapped)).isInstanceOf(VaultException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void segmentSplicedFromAnotherBlob_failsAuthentication() {
        byte[] c1 = noise(2 * SEG, 6);
        byte[] c2 = noise(2 * SEG, 8);
        byte[] s1 = seal(c1);
        byte[] s2 = seal(c2);
        byte[] spliced = s1.clone();
        System.arraycopy(s2, 40, spliced, 40, SEG + 16); // another blob's segment at the same index
        assertThatThrownBy(() -> open(c1, spliced)).isInstanceOf(VaultException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void blobOpenedUnderAnotherId_failsAuthentication() {
        byte[] content = noise(1000, 9);
        byte[] sealed = seal(content);
        BlobId other = BlobId.of(filled(32, 0x33));
        assertThatThrownBy(() -> codec.open(other, sealed, 0, sealed.length, content.length, "test pack"))
                .isInstanceOf(VaultException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void formatOneEnvelopeBlob_isRejected_notMisread() {
        byte[] content = noise(1000, 10);
        BlobId id = codec.idOf(content, 0, content.length);
        byte[] plain = new byte[content.length + 1];
        System.arraycopy(content, 0, plain, 1, content.length);
        byte[] envelope = new Envelope(keys.dataKey()).seal(AeadContext.vault(VAULT, "files", "blob", id.bytes(), 0), plain);
        assertThatThrownBy(() -> codec.open(id, envelope, 0, envelope.length, content.length, "test pack"))
                .isInstanceOf(VaultException.class).hasMessageContaining("kind 'E'");
    }

    @Test
    void streamWithAnotherSegmentSize_isRejected() {
        byte[] content = noise(1000, 11);
        byte[] sealed = seal(content);
        sealed[5] = 0x00; // segment size 0x00010000 -> 0x00008000:
        sealed[6] = (byte) 0x80; // 32768 is a valid stream segment size, but not the vault's
        assertThatThrownBy(() -> open(content, sealed)).isInstanceOf(VaultException.class)
                .hasMessageContaining("segment size 32768");
    }

    @Test
    void openedLength_rejectsLengthsNoSealedBlobCanHave() {
        assertThat(BlobCodec.openedLength(55)).isEqualTo(-1);
        assertThat(BlobCodec.openedLength(56)).isZero();
        assertThat(BlobCodec.openedLength(40 + SEG + 16)).isEqualTo(SEG);
        assertThat(BlobCodec.openedLength(40 + SEG + 16 + 15)).isEqualTo(-1); // final segment shorter than its tag
        assertThat(BlobCodec.openedLength(40 + SEG + 16 + 17)).isEqualTo(SEG + 1);
    }

    static final String GOLDEN_SEALED_SHA256 = "2e261c6f0dfff887886caae5ef70984fad6c64eba886997dc3eb796b9f0c2776";
}
