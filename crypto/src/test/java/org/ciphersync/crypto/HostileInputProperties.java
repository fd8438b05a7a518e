package org.ciphersync.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.CiphertextIOException;
import org.ciphersync.crypto.aead.DecryptingInputStream;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.aead.StreamOpener;
import org.ciphersync.crypto.identity.Identity;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.crypto.kdf.Argon2idParams;
import org.ciphersync.crypto.pake.PakeSession;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * Every decoder fed arbitrary bytes fails only with its documented exception (never an
 * unchecked one, never a huge allocation). Arbitrary bytes get a valid prefix half of the time,
 * so the code behind the magic checks is reached too.
 */
class HostileInputProperties {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SecretBytes KEY = SecretBytes.random(RANDOM, 32);
    private static final AeadContext CTX = AeadContext.vault("v", "files", "chunk", new byte[0], 0);
    private static final Identity ID = Identity.generate(RANDOM);

    private static byte[] withPrefix(byte[] data, boolean prefix, byte kind) {
        if (prefix && data.length >= 4) {
            data[0] = 'c';
            data[1] = 's';
            data[2] = 1;
            data[3] = kind;
        }
        return data;
    }

    @Property(tries = 300)
    void envelopeOpen_arbitraryBytes_failsOnlyWithCryptoExceptions(@ForAll @Size(max = 300) byte[] data, @ForAll boolean prefix) {
        byte[] d = withPrefix(data, prefix, (byte) 'E');
        assertThatThrownBy(() -> new Envelope(KEY).open(CTX, d))
                .isInstanceOfAny(MalformedCiphertextException.class, AuthenticationFailedException.class);
    }

    @Property(tries = 300)
    void decryptingStream_arbitraryBytes_failsOnlyWithCiphertextIOException(@ForAll @Size(max = 5000) byte[] data,
                                                                             @ForAll boolean prefix) {
        byte[] d = withPrefix(data, prefix, (byte) 'S');
        assertThatThrownBy(() -> {
            try (InputStream in = new DecryptingInputStream(new ByteArrayInputStream(d), KEY, CTX)) {
                in.readAllBytes();
            }
        }).isInstanceOf(CiphertextIOException.class);
    }

    @Property(tries = 300)
    void streamOpener_arbitraryHeaderAndSegment_failsOnlyWithCryptoExceptions(@ForAll @Size(min = 40, max = 40) byte[] header,
                                                                               @ForAll @Size(max = 2000) byte[] segment,
                                                                               @ForAll boolean last) {
        byte[] h = withPrefix(header, true, (byte) 'S');
        try {
            StreamOpener o = new StreamOpener(KEY, CTX, h, 0);
            assertThatThrownBy(() -> o.openSegment(segment, 0, segment.length, last, new byte[segment.length], 0))
                    .isInstanceOf(AuthenticationFailedException.class);
        } catch (MalformedCiphertextException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void argon2idParamsDecode_arbitraryBytes_failsOnlyAsMalformed(@ForAll @Size(max = 100) byte[] data) {
        try {
            Argon2idParams p = Argon2idParams.decode(data, 0, data.length);
            assertThat(p.memoryKiB()).isBetween(Argon2idParams.MIN_MEMORY_KIB, Argon2idParams.MAX_MEMORY_KIB);
        } catch (MalformedCiphertextException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void identityPublicKeysDecode_arbitraryBytes_failsOnlyAsMalformed(@ForAll @Size(max = 100) byte[] data) {
        try {
            assertThat(IdentityPublicKeys.decode(data, 0).encode()).hasSize(IdentityPublicKeys.ENCODED_LENGTH);
        } catch (MalformedCiphertextException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 100)
    void pakeRound1_arbitraryBytes_failsOnlyWithPakeFailed(@ForAll @Size(max = 300) byte[] data, @ForAll boolean header) {
        if (header && data.length >= 3) {
            data[0] = 1;
            data[1] = 1;
            data[2] = 2;
        }
        PakeSession c = PakeSession.creator("S-1", Password.of("7KQ3-M9XD-2HPA"), ID, RANDOM);
        c.round1();
        assertThatThrownBy(() -> c.receiveRound1(data)).isInstanceOf(PakeFailedException.class);
    }
}
