package org.ciphersync.vault.format;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.StreamOpener;
import org.ciphersync.crypto.aead.StreamSealer;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.crypto.hash.KeyedHasher;
import org.ciphersync.crypto.keys.NamespaceKeys;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.tree.BlobId;

/**
 * Ids, compression and sealing of blobs of one namespace (docs/design.md (Vault) §2.1, §2.2).
 *
 * <ul>
 *   <li>{@code id = HMAC-SHA-256(chunkIdKey, SHA-256(content))}: a keyed hash, so storage cannot
 *       confirm a known file; the inner SHA-256 is the one the chunker computes anyway.</li>
 *   <li>plaintext = {@code flag ‖ body}, flag 0 = stored, 1 = zstd (used only when it saves at
 *       least 1/16).</li>
 *   <li>sealed (vault format 2) = crypto's segmented stream ({@link StreamSealer}) under the
 *       namespace data key with context {@code vault(vaultId, ns, "blob", id, 0)}, segment size
 *       exactly {@value #SEGMENT_SIZE}: {@code header(40) ‖ segment_0 ‖ … ‖ segment_last}, every
 *       segment {@code ciphertext ‖ tag(16)}, all but the last holding {@value #SEGMENT_SIZE}
 *       plaintext bytes. Every blob, small or large, uses this one layout (a small blob is one
 *       final segment), so a reader never has to guess the format.</li>
 * </ul>
 * Why segments and not one envelope: the JDK's AES-GCM decryption buffers the whole message until
 * {@code doFinal}, and in a fresh JVM a 1 MiB message decrypts at about a tenth of the speed of
 * 64 KiB ones. Each segment here is opened by its own {@code doFinal} of at most 64 KiB.
 *
 * <p>Opening verifies every segment (index and final flag are authenticated, so truncation,
 * reordering and splicing fail) and then recomputes the id from the content, so a blob returned by
 * {@link #open} is exactly the one its id names. NOT thread-safe: one instance per thread.
 */
public final class BlobCodec implements AutoCloseable {
    /** Plaintext bytes per stream segment; part of the vault format (version 2). */
    public static final int SEGMENT_SIZE = 64 * 1024;
    private static final int FULL_SEGMENT = SEGMENT_SIZE + StreamSealer.TAG_LENGTH;
    private static final int MIN_SEALED = StreamSealer.HEADER_LENGTH + StreamSealer.TAG_LENGTH;
    private static final int STORED = 0;
    private static final int ZSTD = 1;
    /** Source of per-blob salts for codecs that do not bring their own (thread-safe). */
    private static final SecureRandom SALTS = new SecureRandom();

    private final String vaultId;
    private final String namespace;
    private final SecretBytes dataKey;
    private final SecureRandom random;
    private final KeyedHasher idHasher;
    private final MessageDigest sha = sha256();
    private final ZstdCompressCtx zc;
    private final ZstdDecompressCtx zd = new ZstdDecompressCtx();
    private final byte[] digest = new byte[32];
    private byte[] work = new byte[0];

    /** @param zstdLevel compression level, or 0 to never compress */
    public BlobCodec(String vaultId, NamespaceKeys keys, int zstdLevel) {
        this(vaultId, keys, zstdLevel, SALTS);
    }

    /** As above with a given source of per-blob salts (tests pin the sealed bytes with it). */
    BlobCodec(String vaultId, NamespaceKeys keys, int zstdLevel, SecureRandom random) {
        this.vaultId = vaultId;
        this.namespace = keys.namespace();
        this.dataKey = keys.dataKey();
        this.random = Objects.requireNonNull(random, "random == null");
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
        return sealPlaintext(id, work, plainLen);
    }

    /** Seals {@code plain[0, plainLen)} as a stream of {@value #SEGMENT_SIZE}-byte segments. */
    private byte[] sealPlaintext(BlobId id, byte[] plain, int plainLen) {
        long sealedLength = sealedLength(plainLen);
        if (sealedLength > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("blob " + id + " of " + plainLen + " bytes is too large to seal");
        }
        byte[] out = new byte[(int) sealedLength];
        StreamSealer sealer = new StreamSealer(dataKey, context(id), SEGMENT_SIZE, random);
        int w = sealer.writeHeader(out, 0);
        int r = 0;
        while (plainLen - r > SEGMENT_SIZE) {
            w += sealer.sealSegment(plain, r, SEGMENT_SIZE, false, out, w);
            r += SEGMENT_SIZE;
        }
        w += sealer.sealSegment(plain, r, plainLen - r, true, out, w);
        assert w == out.length;
        return out;
    }

    /** Sealed length of a blob whose plaintext ({@code flag ‖ body}) has {@code plainLen} bytes. */
    public static long sealedLength(int plainLen) {
        return StreamSealer.sealedLength(plainLen, SEGMENT_SIZE);
    }

    /**
     * Plaintext length of a sealed blob of {@code sealedLen} bytes, or -1 when no stream of
     * {@value #SEGMENT_SIZE}-byte segments has that length.
     */
    static int openedLength(int sealedLen) {
        if (sealedLen < MIN_SEALED) {
            return -1;
        }
        int body = sealedLen - StreamSealer.HEADER_LENGTH;
        int segments = Math.max(1, (int) ((body + (long) FULL_SEGMENT - 1) / FULL_SEGMENT));
        int lastLen = body - (segments - 1) * FULL_SEGMENT;
        return lastLen < StreamSealer.TAG_LENGTH ? -1 : body - segments * StreamSealer.TAG_LENGTH;
    }

    /**
     * Opens blob {@code id} from {@code sealed[off, off+len)} expecting {@code rawLength} bytes of
     * content, and verifies that the content hashes to {@code id}.
     *
     * @throws VaultException INTEGRITY when anything does not match
     */
    public byte[] open(BlobId id, byte[] sealed, int off, int len, int rawLength, String where) {
        Objects.checkFromIndexSize(off, len, sealed.length);
        int plainLen = openedLength(len);
        if (plainLen < 1 || rawLength < 0 || rawLength > IndexCodec.MAX_RAW_LENGTH) {
            throw VaultException.integrity("blob " + id + " in " + where + " has an impossible length " + len);
        }
        ensure(plainLen);
        try {
            openPlaintext(id, sealed, off, len);
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

    /** Opens every segment of {@code sealed[off, off+len)} into {@code work}, each with its own doFinal. */
    private void openPlaintext(BlobId id, byte[] sealed, int off, int len) throws CryptoException {
        StreamOpener opener = new StreamOpener(dataKey, context(id), sealed, off);
        if (opener.segmentSize() != SEGMENT_SIZE) {
            throw new MalformedCiphertextException("segment size " + opener.segmentSize()
                    + " is not the vault's " + SEGMENT_SIZE);
        }
        opener.openToEnd(sealed, off + StreamSealer.HEADER_LENGTH, off + len, work, 0);
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
