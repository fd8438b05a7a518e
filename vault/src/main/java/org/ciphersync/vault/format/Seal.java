package org.ciphersync.vault.format;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.vault.VaultException;

/** Sealing of whole metadata objects with crypto's {@link Envelope}; failures become integrity errors naming the object. */
public final class Seal {
    private Seal() {
    }

    public static byte[] seal(SecretBytes key, AeadContext ctx, byte[] plaintext) {
        return new Envelope(key).seal(ctx, plaintext);
    }

    public static byte[] open(SecretBytes key, AeadContext ctx, byte[] sealed, String what) {
        try {
            return new Envelope(key).open(ctx, sealed);
        } catch (CryptoException e) {
            throw VaultException.integrity(what + " failed authentication: it was modified, truncated, moved from another name, "
                    + "or belongs to another vault (" + e.getMessage() + ")", e);
        }
    }

    public static String sha256Hex(byte[] b) {
        MessageDigest d = BlobCodec.sha256();
        return HexFormat.of().formatHex(d.digest(b));
    }
}
