package org.ciphersync.vault.format;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.hash.KeyedHasher;
import org.ciphersync.crypto.keys.NamespaceKeys;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.tree.BlobId;

/**
 * Ids, compression and sealing of blobs of one namespace (docs/design/vault.md §2.2).
 *
 * <ul>
 *   <li>{@code id = HMAC-SHA-256(chunkIdKey, SHA-256(content))}: a keyed hash, so storage cannot
 *       confirm a known file; the inner SHA-256 is the one the chunker computes anyway.</li>
 *   <li>plaintext = {@code flag ‖ body}, flag 0 = stored, 1 = zstd (used only when it saves at
 *       least 1/16).</li>
 *   <li>sealed = crypto {@code Envelope(dataKey)} with context
 *       {@code vault(vaultId, ns, "blob", id, 0)}.</li>
 * </ul>
 * Opening verifies the envelope and then recomputes the id from the content, so a blob returned by
 * {@link #open} is exactly the one its id names. NOT thread-safe: one instance per thread.
 */
public final class BlobCodec implements AutoCloseable {
    private static final int STORED = 0;
    private static final int ZSTD = 1;

    private final String vaultId;
    private final String namespace;
    private final Envelope envelope;
    private final KeyedHasher idHasher;
    private final MessageDigest sha = sha256();
    private final ZstdCompressCtx zc;
    private final ZstdDecompressCtx zd = new ZstdDecompressCtx();
    private final byte[] digest = new byte[32];
    private byte[] work = new byte[0];

    /** @param zstdLevel compression level, or 0 to never compress */
    public BlobCodec(String vaultId, NamespaceKeys keys, int zstdLevel) {
        this.vaultId = vaultId;
        this.namespace = keys.namespace();
        this.envelope = new Envelope(keys.dataKey());
        this.idHasher = new KeyedHasher(keys.chunkIdKey());
        this.zc = zstdLevel > 0 ? new ZstdCompressCtx().setLevel(zstdLevel) : null;
    }

    /** The id of a blob whose SHA-256 is {@code sha256}. */
    public BlobId idOfHash(byte[] sha256) {
        return BlobId.of(idHasher.hash(sha256));
    }

    /** The id of {@code data[off, off+len)}. */
    public BlobId idOf(byte[] data, int off, int len) {
        try {
            sha.update(data, off, len);
            sha.digest(digest, 0, 32);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        return idOfHash(digest);
    }

    /** Compresses (when it pays) and seals {@code data[off, off+len)} as blob {@code id}. */
    public byte[] seal(BlobId id, byte[] data, int off, int len) {
        int bound = (int) Math.min(Integer.MAX_VALUE - 64, Zstd.compressBound(len));
        ensure(1 + Math.max(len, bound));
        int plainLen;
        int clen = -1;
        if (zc != null && len >= 64) {
            try {
                clen = zc.compressByteArray(work, 1, work.length - 1, data, off, len);
            } catch (ZstdException e) {
                clen = -1;
            }
        }
        if (clen > 0 && clen <= len - len / 16) {
            work[0] = ZSTD;
            plainLen = 1 + clen;
        } else {
            work[0] = STORED;
            System.arraycopy(data, off, work, 1, len);
            plainLen = 1 + len;
        }
        byte[] out = new byte[Envelope.sealedLength(plainLen)];
        envelope.seal(context(id), work, 0, plainLen, out, 0);
        return out;
    }

    /**
     * Opens blob {@code id} from {@code sealed[off, off+len)} expecting {@code rawLength} bytes of
     * content, and verifies that the content hashes to {@code id}.
     *
     * @throws VaultException INTEGRITY when anything does not match
     */
    public byte[] open(BlobId id, byte[] sealed, int off, int len, int rawLength, String where) {
        int plainLen = Envelope.openedLength(len);
        if (plainLen < 1 || rawLength < 0 || rawLength > IndexCodec.MAX_RAW_LENGTH) {
            throw VaultException.integrity("blob " + id + " in " + where + " has an impossible length " + len);
        }
        ensure(plainLen);
        try {
            envelope.open(context(id), sealed, off, len, work, 0);
        } catch (CryptoException e) {
            throw VaultException.integrity("blob " + id + " in " + where + " failed authentication (corrupt, tampered or moved): "
                    + e.getMessage());
        }
        byte[] content;
        if (work[0] == STORED) {
            if (plainLen - 1 != rawLength) {
                throw VaultException.integrity("blob " + id + " in " + where + " has " + (plainLen - 1) + " bytes, index says " + rawLength);
            }
            content = Arrays.copyOfRange(work, 1, plainLen);
        } else if (work[0] == ZSTD) {
            content = new byte[rawLength];
            int n;
            try {
                n = zd.decompressByteArray(content, 0, rawLength, work, 1, plainLen - 1);
            } catch (ZstdException e) {
                throw VaultException.integrity("blob " + id + " in " + where + " does not decompress: " + e.getMessage());
            }
            if (n != rawLength) {
                throw VaultException.integrity("blob " + id + " in " + where + " decompresses to " + n + " bytes, index says " + rawLength);
            }
        } else {
            throw VaultException.integrity("blob " + id + " in " + where + " has an unknown compression flag " + work[0]);
        }
        if (!idOf(content, 0, content.length).equals(id)) {
            throw VaultException.integrity("blob " + id + " in " + where + " does not hash to its id");
        }
        return content;
    }

    /**
     * The SHA-256 of the content last handled by {@link #open} or {@link #idOf} on this instance
     * (a copy), so callers need not hash the content a second time.
     */
    public byte[] lastSha256() {
        return digest.clone();
    }

    private AeadContext context(BlobId id) {
        return AeadContext.vault(vaultId, namespace, "blob", id.bytes(), 0);
    }

    private void ensure(int n) {
        if (work.length < n) {
            work = new byte[Math.max(n, work.length + work.length / 2)];
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (zc != null) {
            zc.close();
        }
        zd.close();
    }
}
