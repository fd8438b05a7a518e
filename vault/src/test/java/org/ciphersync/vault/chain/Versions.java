package org.ciphersync.vault.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ciphersync.vault.tree.BlobId;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;

/** Declarative fixtures for versions and vectors. */
public final class Versions {
    public static final ComputerId A = ComputerId.of("a".repeat(32));
    public static final ComputerId B = ComputerId.of("b".repeat(32));
    public static final ComputerId C = ComputerId.of("c".repeat(32));

    private Versions() {
    }

    /** {@code vv(A, 1, B, 2)}. */
    public static VersionVector vv(Object... pairs) {
        Map<ComputerId, Long> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((ComputerId) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return VersionVector.of(m);
    }

    public static byte[] sha(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file at {@code path} whose content is {@code content}, made by {@code origin}. */
    public static FileVersion file(String path, String content, long mtime, VersionVector vv, ComputerId origin) {
        return new FileVersion(VaultPath.parse(path), EntryKind.FILE, content.length(), mtime, 0644, sha(content),
                List.of(BlobId.of(sha("chunk:" + content))), "", vv, origin, mtime / 1_000_000);
    }

    public static FileVersion deleted(String path, long mtime, VersionVector vv, ComputerId origin) {
        return FileVersion.deleted(VaultPath.parse(path), mtime, vv, origin, mtime / 1_000_000);
    }
}
