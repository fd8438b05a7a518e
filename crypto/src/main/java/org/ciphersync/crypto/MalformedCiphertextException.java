package org.ciphersync.crypto;

/**
 * Encrypted data or a key file does not even have the expected structure (bad magic, unknown
 * version, impossible length). Raised before any decryption is attempted.
 */
public class MalformedCiphertextException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public MalformedCiphertextException(String message) {
        super(message);
    }
}
