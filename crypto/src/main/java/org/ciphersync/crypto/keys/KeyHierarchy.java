package org.ciphersync.crypto.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;
import org.ciphersync.crypto.kdf.Hkdf;
import org.ciphersync.crypto.kdf.KeyLabel;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * The key hierarchy (see {@code docs/design.md}, "Key hierarchy"):
 *
 * <pre>
 * vault root key (random 256 bit, stored only wrapped under the password KEK / recovery key)
 *   ├─ NAMESPACE(ns) ─► namespace key ─┬─ NAMESPACE_DATA     ─► data key (parent of object keys)
 *   │                                   ├─ NAMESPACE_CHUNK_ID ─► chunk-ID HMAC key
 *   │                                   ├─ NAMESPACE_INDEX    ─► index/snapshot parent key
 *   │                                   └─ NAMESPACE_NAMES    ─► name encryption key
 *   └─ VAULT_CHAIN ─► chain key
 * session group key ─ SESSION_CHANNEL(sessionId, epoch) ─► channel key
 * </pre>
 *
 * An application gets only its {@link NamespaceKeys}; HKDF being a PRF, nothing it holds lets it
 * compute the root key or another namespace's keys.
 */
public final class KeyHierarchy {
    /** Allowed namespace names: 1–64 of {@code a-z 0-9 . _ -}, starting with a letter or digit. */
    public static final Pattern NAMESPACE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private KeyHierarchy() {
    }

    /** A new random 256-bit root key (vault root key or session group key). */
    public static SecretBytes newRootKey(SecureRandom random) {
        return SecretBytes.random(random, Hkdf.KEY_LENGTH);
    }

    /** The keys of one application namespace. The caller closes the result. */
    public static NamespaceKeys namespace(SecretBytes vaultRootKey, String namespace) {
        Objects.requireNonNull(vaultRootKey, "vaultRootKey == null");
        Objects.requireNonNull(namespace, "namespace == null");
        if (!NAMESPACE_NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace name '" + namespace
                    + "' is invalid: use 1-64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        try (SecretBytes nsKey = Hkdf.deriveKey(vaultRootKey, KeyLabel.NAMESPACE, namespace.getBytes(StandardCharsets.US_ASCII))) {
            return new NamespaceKeys(namespace,
                    Hkdf.deriveKey(nsKey, KeyLabel.NAMESPACE_DATA, null),
                    Hkdf.deriveKey(nsKey, KeyLabel.NAMESPACE_CHUNK_ID, null),
                    Hkdf.deriveKey(nsKey, KeyLabel.NAMESPACE_INDEX, null),
                    Hkdf.deriveKey(nsKey, KeyLabel.NAMESPACE_NAMES, null));
        }
    }

    /** The key protecting the vault's sync-chain records. */
    public static SecretBytes chainKey(SecretBytes vaultRootKey) {
        return Hkdf.deriveKey(vaultRootKey, KeyLabel.VAULT_CHAIN, null);
    }

    /**
     * The session channel key of one sender for one group-key epoch ({@code epoch} counts
     * group-key rotations; {@code senderId} is e.g. the sender's Ed25519 public key). Each sender
     * gets its own key, so counter nonces of different senders never meet under one key.
     */
    public static SecretBytes sessionChannelKey(SecretBytes groupKey, String sessionId, long epoch, byte[] senderId) {
        Objects.requireNonNull(sessionId, "sessionId == null");
        Objects.requireNonNull(senderId, "senderId == null");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch " + epoch + " is negative");
        }
        byte[] id = sessionId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 256 || senderId.length > 256) {
            throw new IllegalArgumentException("session ID or sender ID longer than 256 bytes");
        }
        byte[] ctx = new byte[2 + id.length + 8 + senderId.length];
        ctx[0] = (byte) (id.length >>> 8);
        ctx[1] = (byte) id.length;
        System.arraycopy(id, 0, ctx, 2, id.length);
        for (int i = 0; i < 8; i++) {
            ctx[2 + id.length + i] = (byte) (epoch >>> (56 - 8 * i));
        }
        System.arraycopy(senderId, 0, ctx, 10 + id.length, senderId.length);
        return Hkdf.deriveKey(groupKey, KeyLabel.SESSION_CHANNEL, ctx);
    }
}
