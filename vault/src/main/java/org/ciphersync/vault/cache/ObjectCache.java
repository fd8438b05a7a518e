package org.ciphersync.vault.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobType;

/**
 * Copies of sealed vault objects that never change once written: commits ({@link BlobType#SNAPSHOT},
 * named by computer and sequence number, hash-chained) and index objects ({@link BlobType#INDEX},
 * named by the hash of their bytes). Stored as the same ciphertext the storage holds, under
 * {@code <cache>/ciphersync/vault/<vaultId>/objects/<folder>/<name>}.
 *
 * <p>The cache is an optimization only: every object read from it is verified exactly like one read
 * from the storage (seal, name hash, hash chain), and one that fails is dropped and read again from
 * the storage. Which objects exist is always decided by listing the storage, never by the cache, so
 * a deleted commit is still noticed. Failures to read or write the cache are ignored. {@code vault
 * check} does not use it: it verifies what the storage holds.
 */
public final class ObjectCache {
    private final Path root;

    private ObjectCache(Path root) {
        this.root = root;
    }

    /** The cache of vault {@code vaultId} under the user's cache folder {@code cacheDir}. */
    public static ObjectCache in(Path cacheDir, String vaultId) {
        if (!vaultId.matches("[0-9a-f]{8,64}")) {
            throw new IllegalArgumentException("not a vault id: " + vaultId);
        }
        return new ObjectCache(cacheDir.resolve("ciphersync").resolve("vault").resolve(vaultId).resolve("objects"));
    }

    /** Whether objects of this type are cached (immutable once written). */
    public static boolean caches(BlobName name) {
        return name.type() == BlobType.SNAPSHOT || name.type() == BlobType.INDEX;
    }

    /** The cached bytes of {@code name}, or null when absent or unreadable. */
    public byte[] get(BlobName name) {
        if (!caches(name)) {
            return null;
        }
        try {
            return Files.readAllBytes(path(name));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Keeps a copy of {@code bytes} (already verified by the caller); best effort. */
    public void put(BlobName name, byte[] bytes) {
        if (!caches(name)) {
            return;
        }
        Path target = path(name);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().threadId());
        try {
            Files.createDirectories(target.getParent());
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Drops the copy of {@code name} (it failed verification, or the object was deleted). */
    public void remove(BlobName name) {
        try {
            Files.deleteIfExists(path(name));
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private Path path(BlobName name) {
        Objects.requireNonNull(name, "name == null");
        String n = name.name();
        if (n.isEmpty() || n.contains("/") || n.contains("\\") || n.startsWith(".")) {
            throw new IllegalArgumentException("unexpected object name");
        }
        return root.resolve(name.type().folder()).resolve(n);
    }

    @Override
    public String toString() {
        return "ObjectCache[" + root + "]";
    }
}
