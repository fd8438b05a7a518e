package org.ciphersync.crypto.pake;

import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * Outcome of a successful PAKE run. Both keys are 32 bytes, distinct per direction, and fresh for
 * this run; use them with {@code channel.SecureChannel}. Closing wipes them.
 *
 * @param sendKey        key for frames this side sends
 * @param receiveKey     key for frames this side receives
 * @param peer           the peer's identity, authenticated by the password and by its signature
 * @param transcriptHash SHA-256 of the exchange (both sides hold the same value)
 */
public record PakeResult(SecretBytes sendKey, SecretBytes receiveKey, IdentityPublicKeys peer, byte[] transcriptHash)
        implements AutoCloseable {
    @Override
    public byte[] transcriptHash() {
        return transcriptHash.clone();
    }

    @Override
    public void close() {
        sendKey.close();
        receiveKey.close();
    }

    @Override
    public String toString() {
        return "PakeResult[peer=" + peer.fingerprint() + ", keys redacted]";
    }
}
