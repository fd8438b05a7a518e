package org.ciphersync.crypto.keys;

import java.util.Arrays;
import java.util.Objects;
import org.ciphersync.crypto.AuthenticationFailedException;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.WrongPasswordException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * Wraps a 32-byte key (the vault root key) under a key-encryption key (from the master password
 * through Argon2id, or from a recovery key) as an {@link Envelope} bound to {@code context}.
 * Changing the password re-wraps the same root key: no data is re-encrypted.
 */
public final class KeyWrapping {
    /** Length of a wrapped 32-byte key. */
    public static final int WRAPPED_LENGTH = 32 + Envelope.OVERHEAD;

    private KeyWrapping() {
    }

    public static byte[] wrap(SecretBytes keyEncryptionKey, SecretBytes key, AeadContext context) {
        Objects.requireNonNull(key, "key == null");
        if (key.length() != 32) {
            throw new IllegalArgumentException("wrapped key length " + key.length() + " != 32");
        }
        return new Envelope(keyEncryptionKey).seal(context, key.expose());
    }

    /**
     * @throws WrongPasswordException       the key-encryption key is wrong (wrong password or
     *                                      recovery key) or the wrapped key was modified
     * @throws MalformedCiphertextException not a wrapped key
     */
    public static SecretBytes unwrap(SecretBytes keyEncryptionKey, byte[] wrapped, AeadContext context)
            throws WrongPasswordException, MalformedCiphertextException {
        if (wrapped.length != WRAPPED_LENGTH) {
            throw new MalformedCiphertextException("wrapped key is " + wrapped.length + " bytes, expected " + WRAPPED_LENGTH);
        }
        byte[] out = new byte[32];
        try {
            new Envelope(keyEncryptionKey).open(context, wrapped, 0, wrapped.length, out, 0);
            return SecretBytes.adopt(out);
        } catch (AuthenticationFailedException e) {
            Arrays.fill(out, (byte) 0);
            throw new WrongPasswordException("wrong password or recovery key (or the key file was modified)");
        }
    }
}
