package org.ciphersync.crypto.aead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.ciphersync.crypto.AuthenticationFailedException;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.secret.SecretBytes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AeadContext CTX = AeadContext.vault("vault-1", "files", "chunk", new byte[] {7, 7, 7}, 3);
    private final SecretBytes key = SecretBytes.random(RANDOM, 32);
    private final Envelope envelope = new Envelope(key);

    @Property(tries = 100)
    void sealThenOpen_returnsThePlaintext(@ForAll @Size(max = 200_000) byte[] plaintext) throws Exception {
        byte[] sealed = envelope.seal(CTX, plaintext);
        assertThat(sealed).hasSize(plaintext.length + Envelope.OVERHEAD);
        assertThat(envelope.open(CTX, sealed)).isEqualTo(plaintext);
    }

    @Test
    void seal_samePlaintextTwice_givesDifferentCiphertexts() {
        byte[] p = "same".getBytes(StandardCharsets.UTF_8);
        assertThat(envelope.seal(CTX, p)).isNotEqualTo(envelope.seal(CTX, p));
    }

    @Test
    void seal_bufferApi_writesAtTheOffsetsGiven() throws Exception {
        byte[] src = new byte[100];
        RANDOM.nextBytes(src);
        byte[] dst = new byte[10 + Envelope.sealedLength(50)];
        int n = envelope.seal(CTX, src, 20, 50, dst, 10);
        assertThat(n).isEqualTo(50 + Envelope.OVERHEAD);
        byte[] out = new byte[60];
        int m = envelope.open(CTX, dst, 10, n, out, 5);
        assertThat(m).isEqualTo(50);
        assertThat(Arrays.copyOfRange(out, 5, 55)).isEqualTo(Arrays.copyOfRange(src, 20, 70));
    }

    @Test
    void open_everySingleBitFlip_ofHeaderCiphertextAndTag_isRejected() {
        byte[] sealed = envelope.seal(CTX, "a small chunk of file data, 40 bytes!!!!".getBytes(StandardCharsets.UTF_8));
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] t = sealed.clone();
            t[bit / 8] ^= (byte) (1 << (bit % 8));
            int b = bit;
            Class<? extends CryptoException> expected = bit / 8 < 4 ? MalformedCiphertextException.class
                    : AuthenticationFailedException.class;
            assertThatThrownBy(() -> envelope.open(CTX, t)).as("bit %d", b).isInstanceOf(expected);
        }
    }

    @Test
    void open_everyTruncation_isRejected() {
        byte[] sealed = envelope.seal(CTX, new byte[64]);
        for (int len = 0; len < sealed.length; len++) {
            byte[] t = Arrays.copyOf(sealed, len);
            assertThatThrownBy(() -> envelope.open(CTX, t)).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void open_withAnotherContext_failsAuthentication() {
        byte[] sealed = envelope.seal(CTX, new byte[10]);
        for (AeadContext other : new AeadContext[] {
            CTX.withIndex(4),
            AeadContext.vault("vault-2", "files", "chunk", new byte[] {7, 7, 7}, 3),
            AeadContext.vault("vault-1", "mail", "chunk", new byte[] {7, 7, 7}, 3),
            AeadContext.vault("vault-1", "files", "index", new byte[] {7, 7, 7}, 3),
            AeadContext.vault("vault-1", "files", "chunk", new byte[] {7, 7, 8}, 3),
            AeadContext.session("vault-1", "chunk", new byte[] {7, 7, 7}, 3),
        }) {
            assertThatThrownBy(() -> envelope.open(other, sealed)).as("%s", other)
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("modified, belongs to another place, or the key is wrong");
        }
    }

    @Test
    void open_withAnotherKey_failsAuthentication_andLeavesNoPlaintext() {
        byte[] sealed = envelope.seal(CTX, "secret text".getBytes(StandardCharsets.UTF_8));
        Envelope other = new Envelope(SecretBytes.random(RANDOM, 32));
        byte[] out = new byte[Envelope.openedLength(sealed.length)];
        Arrays.fill(out, (byte) 0x55);
        assertThatThrownBy(() -> other.open(CTX, sealed, 0, sealed.length, out, 0))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThat(out).containsOnly(0);
    }

    @Test
    void open_unknownVersionOrKind_saysWhatIsWrong() {
        byte[] sealed = envelope.seal(CTX, new byte[1]);
        sealed[2] = 9;
        assertThatThrownBy(() -> envelope.open(CTX, sealed)).isInstanceOf(MalformedCiphertextException.class)
                .hasMessageContaining("format version 9");
        byte[] streamHeader = new byte[60];
        streamHeader[0] = 'c';
        streamHeader[1] = 's';
        streamHeader[2] = 1;
        streamHeader[3] = 'S';
        assertThatThrownBy(() -> envelope.open(CTX, streamHeader)).isInstanceOf(MalformedCiphertextException.class)
                .hasMessageContaining("kind 'S'");
    }

    @Test
    void aeadContext_hostileSizes_areRefusedNamingTheField() {
        assertThatThrownBy(() -> AeadContext.vault("v", "n", "chunk", new byte[2000], 0))
                .hasMessageContaining("objectId length 2000");
        assertThatThrownBy(() -> AeadContext.vault("v", "n".repeat(65), "chunk", new byte[0], 0))
                .hasMessageContaining("namespace is 65 bytes");
        assertThatThrownBy(() -> AeadContext.vault("v", "n", "chunk", new byte[0], -1)).hasMessageContaining("index -1");
    }
}
