package org.ciphersync.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

class IdentityTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void sign_verifiesWithThePublicKeys_andNotForAnotherMessageOrIdentity() {
        Identity a = Identity.generate(RANDOM);
        Identity b = Identity.generate(RANDOM);
        byte[] sig = a.sign("leader command".getBytes());
        assertThat(sig).hasSize(64);
        assertThat(a.publicKeys().verify("leader command".getBytes(), sig)).isTrue();
        assertThat(a.publicKeys().verify("leader commanD".getBytes(), sig)).isFalse();
        assertThat(b.publicKeys().verify("leader command".getBytes(), sig)).isFalse();
        assertThat(a.publicKeys().verify("leader command".getBytes(), new byte[3])).isFalse();
    }

    @Test
    void agree_bothSidesComputeTheSameSecret() throws Exception {
        Identity a = Identity.generate(RANDOM);
        Identity b = Identity.generate(RANDOM);
        try (SecretBytes ab = a.agree(b.publicKeys()); SecretBytes ba = b.agree(a.publicKeys())) {
            assertThat(ab.length()).isEqualTo(32);
            assertThat(ab.constantTimeEquals(ba)).isTrue();
        }
    }

    @Test
    void publicKeys_encodeDecode_roundTrips_andRefusesUnknownVersions() throws Exception {
        IdentityPublicKeys k = Identity.generate(RANDOM).publicKeys();
        byte[] e = k.encode();
        assertThat(e).hasSize(IdentityPublicKeys.ENCODED_LENGTH);
        assertThat(IdentityPublicKeys.decode(e, 0)).isEqualTo(k);
        e[0] = 2;
        assertThatThrownBy(() -> IdentityPublicKeys.decode(e, 0)).isInstanceOf(MalformedCiphertextException.class);
        assertThatThrownBy(() -> IdentityPublicKeys.decode(new byte[10], 0)).isInstanceOf(MalformedCiphertextException.class);
    }

    @Test
    void fingerprint_is160BitsInEightGroupsOfFourCrockfordSymbols() {
        Fingerprint f = Identity.generate(RANDOM).fingerprint();
        assertThat(f.text()).matches("([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}");
        assertThat(Fingerprint.BITS).isGreaterThanOrEqualTo(128);
    }

    @Test
    void fingerprint_isStableForTheSameKeys_andDiffersForOthers() {
        Identity a = Identity.generate(RANDOM);
        assertThat(a.publicKeys().fingerprint()).isEqualTo(Fingerprint.of(a.publicKeys()));
        assertThat(Identity.generate(RANDOM).fingerprint()).isNotEqualTo(a.fingerprint());
    }

    @Test
    void fingerprint_goldenValue_pinsTheFormat() {
        IdentityPublicKeys zeros = new IdentityPublicKeys(new byte[32], new byte[32]);
        // SHA-256("ciphersync-fingerprint-v1" || 0x01 || 64 zero bytes), first 160 bits, Crockford base32
        assertThat(zeros.fingerprint().text()).isEqualTo(Golden.FINGERPRINT_OF_ZERO_KEYS);
    }

    @Test
    void fingerprint_matches_whatAPersonTypesBack() {
        Fingerprint f = Identity.generate(RANDOM).fingerprint();
        String typed = f.text().toLowerCase().replace('-', ' ').replace('0', 'o').replace('1', 'l');
        assertThat(f.matches(typed)).isTrue();
        assertThat(f.matches(f.text().substring(1))).isFalse();
        assertThat(f.matches(f.text() + "U")).isFalse();
    }

    @Test
    void toString_showsTheFingerprintOnly() {
        Identity a = Identity.generate(RANDOM);
        assertThat(a.toString()).isEqualTo("Identity[" + a.fingerprint() + "]");
        assertThat(a.publicKeys().toString()).isEqualTo("IdentityPublicKeys[" + a.fingerprint() + "]");
    }

    /** Computed independently with Python's hashlib when this format was fixed. */
    static final class Golden {
        static final String FINGERPRINT_OF_ZERO_KEYS = "G52G-Q1D3-3ZJA-H26G-S0JG-AG06-VREN-5DM0";
    }
}
