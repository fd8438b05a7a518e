package org.ciphersync.crypto.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.ciphersync.crypto.MalformedCiphertextException;

/**
 * The public half of an installation's identity: an Ed25519 key (RFC 8032, 32 bytes) and an
 * X25519 key (RFC 7748, 32 bytes). Immutable; arrays are copied in and out.
 *
 * <p>Encoding ({@link #encode()}, {@value #ENCODED_LENGTH} bytes): {@code 0x01 ‖ Ed25519 ‖ X25519}.
 */
public record IdentityPublicKeys(byte[] ed25519, byte[] x25519) {
    public static final int KEY_LENGTH = 32;
    public static final int ENCODED_LENGTH = 1 + 2 * KEY_LENGTH;
    private static final byte VERSION = 0x01;
    static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    static final byte[] X25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");

    public IdentityPublicKeys {
        Objects.requireNonNull(ed25519, "ed25519 == null");
        Objects.requireNonNull(x25519, "x25519 == null");
        if (ed25519.length != KEY_LENGTH || x25519.length != KEY_LENGTH) {
            throw new IllegalArgumentException("identity public keys must be 32 bytes each (got "
                    + ed25519.length + " and " + x25519.length + ")");
        }
        ed25519 = ed25519.clone();
        x25519 = x25519.clone();
    }

    @Override
    public byte[] ed25519() {
        return ed25519.clone();
    }

    @Override
    public byte[] x25519() {
        return x25519.clone();
    }

    public byte[] encode() {
        byte[] out = new byte[ENCODED_LENGTH];
        out[0] = VERSION;
        System.arraycopy(ed25519, 0, out, 1, KEY_LENGTH);
        System.arraycopy(x25519, 0, out, 1 + KEY_LENGTH, KEY_LENGTH);
        return out;
    }

    /** Parses exactly {@value #ENCODED_LENGTH} bytes at {@code data[off]}. */
    public static IdentityPublicKeys decode(byte[] data, int off) throws MalformedCiphertextException {
        if (off < 0 || data.length - off < ENCODED_LENGTH) {
            throw new MalformedCiphertextException("identity public keys are truncated");
        }
        if (data[off] != VERSION) {
            throw new MalformedCiphertextException("identity public keys have unknown version " + (data[off] & 0xff));
        }
        return new IdentityPublicKeys(Arrays.copyOfRange(data, off + 1, off + 1 + KEY_LENGTH),
                Arrays.copyOfRange(data, off + 1 + KEY_LENGTH, off + ENCODED_LENGTH));
    }

    /** The fingerprint people compare. */
    public Fingerprint fingerprint() {
        return Fingerprint.of(this);
    }

    /** True when {@code signature} is a valid Ed25519 signature of {@code message} by this identity. */
    public boolean verify(byte[] message, byte[] signature) {
        try {
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(ed25519PublicKey());
            v.update(message);
            return v.verify(signature);
        } catch (java.security.SignatureException | java.security.InvalidKeyException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK", e);
        }
    }

    /** The Ed25519 key as a JDK key. */
    public PublicKey ed25519PublicKey() throws java.security.InvalidKeyException {
        return toJdk("Ed25519", ED25519_X509_PREFIX, ed25519);
    }

    /** The X25519 key as a JDK key. */
    public PublicKey x25519PublicKey() throws java.security.InvalidKeyException {
        return toJdk("X25519", X25519_X509_PREFIX, x25519);
    }

    static PublicKey toJdk(String algorithm, byte[] prefix, byte[] raw) throws java.security.InvalidKeyException {
        byte[] der = new byte[prefix.length + raw.length];
        System.arraycopy(prefix, 0, der, 0, prefix.length);
        System.arraycopy(raw, 0, der, prefix.length, raw.length);
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw new java.security.InvalidKeyException(algorithm + " public key is invalid", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available in this JDK", e);
        }
    }

    static byte[] rawOf(PublicKey key, byte[] prefix) {
        byte[] der = key.getEncoded();
        if (der.length != prefix.length + KEY_LENGTH || !Arrays.equals(der, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IllegalStateException(key.getAlgorithm() + " public key has an unexpected encoding");
        }
        return Arrays.copyOfRange(der, prefix.length, der.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityPublicKeys k && Arrays.equals(k.ed25519, ed25519) && Arrays.equals(k.x25519, x25519);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ed25519) + Arrays.hashCode(x25519);
    }

    @Override
    public String toString() {
        return "IdentityPublicKeys[" + fingerprint() + "]";
    }
}
