package org.ciphersync.crypto;

/**
 * Authenticated decryption failed: the data was modified, truncated, reordered, moved from
 * another place, or the key is wrong. Nothing of the plaintext is released when this is thrown.
 */
public class AuthenticationFailedException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(String message) {
        super(message);
    }

    public AuthenticationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
