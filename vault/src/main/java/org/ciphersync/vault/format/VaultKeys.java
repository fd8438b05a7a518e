package org.ciphersync.vault.format;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ciphersync.crypto.hash.KeyedHasher;
import org.ciphersync.crypto.keys.KeyHierarchy;
import org.ciphersync.crypto.keys.NamespaceKeys;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * The unlocked keys of one vault: the root key and what is derived from it (crypto's
 * {@link KeyHierarchy}). Closing wipes everything. {@link #toString()} shows no key.
 */
public final class VaultKeys implements AutoCloseable {
    private final String vaultId;
    private final SecretBytes root;
    private final SecretBytes chain;
    private final Map<String, NamespaceKeys> namespaces = new ConcurrentHashMap<>();

    /** Takes ownership of {@code rootKey}. */
    public VaultKeys(String vaultId, SecretBytes rootKey) {
        this.vaultId = vaultId;
        this.root = rootKey;
        this.chain = KeyHierarchy.chainKey(rootKey);
    }

    public String vaultId() {
        return vaultId;
    }

    /** The root key itself (for re-wrapping in a new slot); the caller MUST NOT keep or log it. */
    public SecretBytes rootKey() {
        return root;
    }

    public SecretBytes chainKey() {
        return chain;
    }

    /** The keys of namespace {@code ns} (validated by crypto: 1–64 of a-z 0-9 . _ -). */
    public NamespaceKeys namespace(String ns) {
        return namespaces.computeIfAbsent(ns, n -> KeyHierarchy.namespace(root, n));
    }

    /**
     * The namespace's tag in object names: the first 16 bytes of
     * {@code HMAC-SHA-256(namesKey(ns), "ciphersync/v1/vault/ns-tag")} in hex. An application can
     * compute its own tag, never another's, and the storage learns no namespace name.
     */
    public static String tag(NamespaceKeys keys) {
        byte[] h = new KeyedHasher(keys.namesKey()).hash("ciphersync/v1/vault/ns-tag".getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(h, 0, 16);
    }

    public String tag(String ns) {
        return tag(namespace(ns));
    }

    @Override
    public void close() {
        namespaces.values().forEach(NamespaceKeys::close);
        namespaces.clear();
        chain.close();
        root.close();
    }

    @Override
    public String toString() {
        return "VaultKeys[" + vaultId + "]";
    }
}
