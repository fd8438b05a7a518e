package org.ciphersync.crypto;

/**
 * Base of the user-facing failures of this module. Messages say what failed and what to do; they
 * MUST NOT contain key bytes, passwords or plaintext.
 */
public class CryptoException extends Exception {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
