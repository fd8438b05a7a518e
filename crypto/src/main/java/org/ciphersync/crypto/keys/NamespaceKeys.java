package org.ciphersync.crypto.keys;

import org.ciphersync.crypto.secret.SecretBytes;

/**
 * The keys of one vault namespace (one application, or the user's own data). Closing wipes all.
 * {@link #toString()} shows only the namespace name.
 */
public final class NamespaceKeys implements AutoCloseable {
    private final String namespace;
    private final SecretBytes dataKey;
    private final SecretBytes chunkIdKey;
    private final SecretBytes indexKey;
    private final SecretBytes namesKey;

    NamespaceKeys(String namespace, SecretBytes dataKey, SecretBytes chunkIdKey, SecretBytes indexKey, SecretBytes namesKey) {
        this.namespace = namespace;
        this.dataKey = dataKey;
        this.chunkIdKey = chunkIdKey;
        this.indexKey = indexKey;
        this.namesKey = namesKey;
    }

    public String namespace() {
        return namespace;
    }

    /** Parent key of per-object keys for chunks and files (use with {@code Envelope} / {@code StreamSealer}). */
    public SecretBytes dataKey() {
        return dataKey;
    }

    /** Key of the {@code KeyedHasher} for this namespace's chunk IDs. */
    public SecretBytes chunkIdKey() {
        return chunkIdKey;
    }

    /** Parent key for index, snapshot and metadata objects. */
    public SecretBytes indexKey() {
        return indexKey;
    }

    /** Key for encrypting names where one must be stored encrypted. */
    public SecretBytes namesKey() {
        return namesKey;
    }

    @Override
    public void close() {
        dataKey.close();
        chunkIdKey.close();
        indexKey.close();
        namesKey.close();
    }

    @Override
    public String toString() {
        return "NamespaceKeys[" + namespace + ", redacted]";
    }
}
