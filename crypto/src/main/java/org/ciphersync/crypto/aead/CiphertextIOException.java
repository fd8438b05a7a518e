package org.ciphersync.crypto.aead;

import java.io.IOException;
import org.ciphersync.crypto.CryptoException;

/**
 * An {@link IOException} raised by {@link DecryptingInputStream} when the stream is malformed or
 * fails authentication; {@link #reason()} is the underlying {@link CryptoException}.
 */
public final class CiphertextIOException extends IOException {
    private static final long serialVersionUID = 1L;

    public CiphertextIOException(CryptoException reason) {
        super(reason.getMessage(), reason);
    }

    public CryptoException reason() {
        return (CryptoException) getCause();
    }
}
