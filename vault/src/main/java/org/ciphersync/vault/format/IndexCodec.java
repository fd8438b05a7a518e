package org.ciphersync.vault.format;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.tree.BlobId;

/**
 * The plaintext of an index object (sealed by the caller):
 *
 * <pre>
 * "CSI1" u32 packCount
 * pack  = u8 nameLen name(ASCII) u32 blobCount blob*
 * blob  = id(32) kind(u8) offset(u32) length(u32) rawLength(u32)
 * </pre>
 *
 * Decoding is strict: counts are bounded by what remains, names must be valid pack names, blobs
 * of a pack must not overlap or exceed {@link #MAX_PACK_SIZE}.
 */
public final class IndexCodec {
    private static final byte[] MAGIC = "CSI1".getBytes(StandardCharsets.US_ASCII);
    /** Largest pack the format accepts (a full pack plus one maximal chunk, with margin). */
    public static final long MAX_PACK_SIZE = 64L << 20;
    /** Largest blob content (4 MiB chunk maximum; trees may be larger). */
    public static final int MAX_RAW_LENGTH = 256 << 20;
    private static final int BLOB_RECORD = 32 + 1 + 4 + 4 + 4;

    private IndexCodec() {
    }

    /**
     * Encodes {@code entries}, grouped by pack in the order packs first appear, into one array of
     * the exact size (an index of a million blobs is 45 MB: it is not built twice).
     */
    public static byte[] encode(List<IndexEntry> entries) {
        Map<BlobName, List<IndexEntry>> byPack = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            byPack.computeIfAbsent(e.pack(), k -> new ArrayList<>()).add(e);
        }
        long size = MAGIC.length + 4L + (long) entries.size() * BLOB_RECORD;
        for (BlobName pack : byPack.keySet()) {
            size += 1 + pack.name().length() + 4;
        }
        if (size > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("an index of " + entries.size() + " blobs is too large for one object");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        b.put(MAGIC).putInt(byPack.size());
        for (Map.Entry<BlobName, List<IndexEntry>> p : byPack.entrySet()) {
            byte[] name = p.getKey().name().getBytes(StandardCharsets.US_ASCII);
            b.put((byte) name.length).put(name).putInt(p.getValue().size());
            for (IndexEntry e : p.getValue()) {
                e.id().copyTo(b.array(), b.position());
                b.position(b.position() + BlobId.LENGTH).put((byte) e.kind().code()).putInt((int) e.offset()).putInt(e.length()).putInt(e.rawLength());
            }
        }
        return b.array();
    }

    /** Decodes an index; {@code what} names the object in messages. */
    public static List<IndexEntry> decode(byte[] bytes, String what) {
        List<IndexEntry> out = new ArrayList<>();
        decode(bytes, what, Sink.into(out));
        return out;
    }

    /** Receives the blobs of an index as they are decoded; the id is the 32 bytes of {@code buf} at {@code idOffset}. */
    @FunctionalInterface
    public interface Sink {
        void blob(byte[] buf, int idOffset, BlobKind kind, BlobName pack, long offset, int length, int rawLength);

        /** A sink that adds an {@link IndexEntry} per blob to {@code out}. */
        static Sink into(List<IndexEntry> out) {
            return (buf, idOffset, kind, pack, offset, length, rawLength) ->
                    out.add(new IndexEntry(BlobId.of(buf, idOffset), kind, pack, offset, length, rawLength));
        }
    }

    /** Decodes an index into {@code sink} without making an object per blob; checks as {@link #decode(byte[], String)}. */
    public static void decode(byte[] bytes, String what, Sink sink) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IndexFormatException(what + " does not start with the index magic");
            }
            int packs = b.getInt();
            if (packs < 0 || packs > b.remaining() / 6) {
                throw new IndexFormatException(what + " claims " + Integer.toUnsignedString(packs) + " packs");
            }
            for (int p = 0; p < packs; p++) {
                int nameLen = b.get() & 0xff;
                if (nameLen > b.remaining()) {
                    throw new IndexFormatException(what + " pack name length " + nameLen + " exceeds the data");
                }
                byte[] nb = new byte[nameLen];
                b.get(nb);
                String name = new String(nb, StandardCharsets.US_ASCII);
                if (!BlobName.isValid(BlobType.PACK, name) || ObjectNames.packHash(BlobName.of(BlobType.PACK, name)) == null) {
                    throw new IndexFormatException(what + " names an invalid pack");
                }
                BlobName pack = BlobName.of(BlobType.PACK, name);
                int count = b.getInt();
                if (count < 0 || (long) count * BLOB_RECORD > b.remaining()) {
                    throw new IndexFormatException(what + " claims " + Integer.toUnsignedString(count) + " blobs in pack " + name);
                }
                long end = 0;
                for (int i = 0; i < count; i++) {
                    int idOffset = b.position();
                    b.position(idOffset + BlobId.LENGTH);
                    BlobKind kind;
                    try {
                        kind = BlobKind.ofCode(b.get() & 0xff);
                    } catch (IllegalArgumentException e) {
                        throw new IndexFormatException(what + ": " + e.getMessage());
                    }
                    long offset = Integer.toUnsignedLong(b.getInt());
                    long length = Integer.toUnsignedLong(b.getInt());
                    long raw = Integer.toUnsignedLong(b.getInt());
                    if (offset < end || length == 0 || offset + length > MAX_PACK_SIZE || raw > MAX_RAW_LENGTH) {
                        throw new IndexFormatException(what + " blob " + i + " of pack " + name + " has offset " + offset
                                + " length " + length + " raw length " + raw + " (overlapping or out of bounds)");
                    }
                    end = offset + length;
                    sink.blob(bytes, idOffset, kind, pack, offset, (int) length, (int) raw);
                }
            }
            if (b.hasRemaining()) {
                throw new IndexFormatException(what + " has " + b.remaining() + " trailing bytes");
            }
        } catch (BufferUnderflowException e) {
            throw new IndexFormatException(what + " is truncated");
        }
    }

    /** A malformed index (only possible with a valid seal through a bug or a malicious computer). */
    public static final class IndexFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public IndexFormatException(String message) {
            super(message);
        }
    }
}
