package org.ciphersync.session.transfer;

import com.github.luben.zstd.Zstd;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.wire.WireException;
import org.ciphersync.session.wire.WireReader;
import org.ciphersync.session.wire.WireWriter;

/**
 * One part of a file's content on its way through the relay (S11): compressed with zstd when that
 * saves at least 10 %, then sealed with the group key and bound to its place.
 *
 * <pre>
 * plaintext = u8 compression (0 none, 1 zstd level 1) ‖ u32 original length (≤ 16 MiB + 8 per chunk) ‖ data
 * data      = chunks of the file, each u32 chunk index ‖ u32 length ‖ bytes (see {@link #packChunk})
 * part      = Envelope(parent = group key of the epoch,
 *                      AAD = session / "file-part" / SHA-256(run id u64 ‖ lp16(source node) ‖ lp16(path) ‖ lp16(part id))
 *                            / epoch,
 *                      plaintext)
 * </pre>
 *
 * A part swapped with another file's, another part id, another run or epoch fails authentication; the
 * receiver also checks every chunk against the source's manifest and the assembled file against the
 * manifest's file hash before the engine renames it into place.
 */
public final class FilePart {
    /** Plaintext bytes per part. */
    public static final int PART_SIZE = 16 << 20;
    /** Largest decompressed part accepted (chunk headers included). */
    static final int MAX_PLAIN = PART_SIZE + (1 << 20);

    private FilePart() {
    }

    public static byte[] seal(SessionId session, SecretBytes groupKey, long epoch, long runId, String sourceNode, String path,
                              String partId, byte[] data, int off, int len) {
        byte[] payload = new byte[len];
        System.arraycopy(data, off, payload, 0, len);
        int mode = 0;
        if (len >= 512) {
            byte[] z = Zstd.compress(payload, 1);
            if (z.length < len * 0.9) {
                payload = z;
                mode = 1;
            }
        }
        byte[] plain = new WireWriter().u8(mode).u32(len).raw(payload).toByteArray();
        return new Envelope(groupKey).seal(context(session, epoch, runId, sourceNode, path, partId), plain);
    }

    public static byte[] open(SessionId session, SecretBytes groupKey, long epoch, long runId, String sourceNode, String path,
                              String partId, byte[] sealed) throws WireException {
        byte[] plain;
        try {
            plain = new Envelope(groupKey).open(context(session, epoch, runId, sourceNode, path, partId), sealed);
        } catch (CryptoException e) {
            throw new WireException("part " + partId + " of " + path + " does not authenticate (modified, swapped or replayed)");
        }
        WireReader r = new WireReader(plain);
        int mode = r.u8("compression");
        long n = r.u32("original length");
        if (n > MAX_PLAIN) {
            throw new WireException("part " + partId + " of " + path + " claims " + n + " bytes, more than " + MAX_PLAIN);
        }
        byte[] data = r.raw("part data", r.remaining());
        return switch (mode) {
            case 0 -> {
                if (data.length != n) {
                    throw new WireException("part " + partId + " of " + path + " has " + data.length + " bytes, not " + n);
                }
                yield data;
            }
            case 1 -> {
                byte[] out = new byte[(int) n];
                long got = Zstd.decompress(out, data);
                if (Zstd.isError(got) || got != n) {
                    throw new WireException("part " + partId + " of " + path + " does not decompress to " + n + " bytes");
                }
                yield out;
            }
            default -> throw new WireException("part " + partId + " of " + path + " uses unknown compression " + mode);
        };
    }

    /** Appends one chunk to a part's data. */
    public static void packChunk(java.io.ByteArrayOutputStream out, int index, byte[] chunk, int len) {
        out.writeBytes(new WireWriter().u32(index).u32(len).toByteArray());
        out.write(chunk, 0, len);
    }

    /** One chunk found in a part's data. */
    public record Chunk(int index, int offset, int length) {
    }

    /** Splits a part's data into chunks, checking every length against the bytes present. */
    public static java.util.List<Chunk> unpack(byte[] data) throws WireException {
        java.util.List<Chunk> out = new java.util.ArrayList<>();
        WireReader r = new WireReader(data);
        while (r.remaining() > 0) {
            long index = r.u32("chunk index");
            long len = r.u32("chunk length");
            if (index > Integer.MAX_VALUE || len > r.remaining()) {
                throw new WireException("chunk " + index + " of " + len + " bytes does not fit in its part");
            }
            out.add(new Chunk((int) index, r.position(), (int) len));
            r.raw("chunk", (int) len);
        }
        return out;
    }

    private static AeadContext context(SessionId session, long epoch, long runId, String sourceNode, String path, String partId) {
        byte[] id = new WireWriter().u64(runId).text(sourceNode).text(path).text(partId).toByteArray();
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256").digest(id); // paths may exceed the AAD's object-id limit
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        return AeadContext.session(session.toString(), "file-part", digest, epoch);
    }
}
