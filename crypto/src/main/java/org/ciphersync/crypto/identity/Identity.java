package org.ciphersync.crypto.identity;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Objects;
import javax.crypto.KeyAgreement;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * An installation's identity: an Ed25519 signing key pair and an X25519 agreement key pair, made
 * with the JDK providers. {@link #toString()} shows the fingerprint only.
 *
 * <p>The JDK's private-key objects cannot be wiped reliably; {@link #close()} calls
 * {@code destroy()} where the provider supports it and drops the references.
 */
public final class Identity implements AutoCloseable {
    private final PrivateKey signingKey;
    private final PrivateKey agreementKey;
    private final IdentityPublicKeys publicKeys;

    Identity(PrivateKey signingKey, PrivateKey agreementKey, IdentityPublicKeys publicKeys) {
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey == null");
        this.agreementKey = Objects.requireNonNull(agreementKey, "agreementKey == null");
        this.publicKeys = Objects.requireNonNull(publicKeys, "publicKeys == null");
    }

    /** A new identity from {@code random}. */
    public static Identity generate(SecureRandom random) {
        try {
            KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
            ed.initialize(255, random);
            KeyPair sign = ed.generateKeyPair();
            KeyPairGenerator x = KeyPairGenerator.getInstance("X25519");
            x.initialize(255, random);
            KeyPair agree = x.generateKeyPair();
            return new Identity(sign.getPrivate(), agree.getPrivate(), new IdentityPublicKeys(
                    IdentityPublicKeys.rawOf(sign.getPublic(), IdentityPublicKeys.ED25519_X509_PREFIX),
                    IdentityPublicKeys.rawOf(agree.getPublic(), IdentityPublicKeys.X25519_X509_PREFIX)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519/X25519 are not available in this JDK", e);
        }
    }

    public IdentityPublicKeys publicKeys() {
        return publicKeys;
    }

    public Fingerprint fingerprint() {
        return publicKeys.fingerprint();
    }

    /** Ed25519 signature (64 bytes) of {@code message}. */
    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(signingKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed unexpectedly", e);
        }
    }

    /**
     * X25519 shared secret with a peer's public key (32 bytes; hash it with HKDF before use).
     *
     * @throws InvalidKeyException for a low-order peer key (all-zero result)
     */
    public SecretBytes agree(IdentityPublicKeys peer) throws InvalidKeyException {
        try {
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(agreementKey);
            ka.doPhase(peer.x25519PublicKey(), true);
            return SecretBytes.adopt(ka.generateSecret());
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 agreement failed unexpectedly", e);
        }
    }

    PrivateKey signingKey() {
        return signingKey;
    }

    PrivateKey agreementKey() {
        return agreementKey;
    }

    @Override
    public void close() {
        destroyQuietly(signingKey);
        destroyQuietly(agreementKey);
    }

    private static void destroyQuietly(PrivateKey key) {
        try {
            key.destroy();
        } catch (javax.security.auth.DestroyFailedException | UnsupportedOperationException e) {
            // The JDK's EdDSA/XDH keys do not all support destroy(); nothing more can be done.
        }
    }

    @Override
    public String toString() {
        return "Identity[" + publicKeys.fingerprint() + "]";
    }
}
