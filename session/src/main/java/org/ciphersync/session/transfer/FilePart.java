package org.ciphersync.session.transfer;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.StreamOpener;
import org.ciphersync.crypto.aead.StreamSealer;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.wire.WireException;
import org.ciphersync.session.wire.WireReader;
import org.ciphersync.session.wire.WireWriter;

/**
 * One part of file content on its way through the relay (S11): chunks of one or more files of the
 * member that uploads it, for one set of recipients, compressed with zstd when that saves at least
 * 10 %, then sealed with the group key and bound to its run and part id. Many small files travel in
 * one part, so a tree of small files costs a few uploads, not one per file.
 *
 * <pre>
 * plaintext = u8 compression (0 none, 1 zstd level 1) ‖ u32 original length (≤ 17 MiB) ‖ data
 * data      = u16 f (1..65,535) ‖ f × (text source node (≤ 16 B) ‖ text path (≤ 16 KiB))
 *             ‖ entries, each u16 file (index into the table) ‖ u32 chunk index ‖ u32 length ‖ bytes
 * part      = Stream (64 KiB segments; parent = group key of the epoch,
 *                    AAD = session / "file-part" / SHA-256(run id u64 ‖ lp16(part id)) / epoch,
 *                    plaintext)
 * </pre>
 *
 * A part swapped with another part id, run or epoch fails authentication. Which file a chunk belongs to
 * is authenticated inside the part; the receiver also checks every chunk against the hash its source's
 * manifest gives for that file and index, and the assembled file against the manifest's file hash
 * before the engine renames it into place.
 */
public final class FilePart {
    /** Plaintext bytes per part: a part is sealed once its data would grow past this. */
    public static final int PART_SIZE = 16 << 20;
    /** Largest decompressed part accepted (one chunk and a file table beyond {@link #PART_SIZE}). */
    static final int MAX_PLAIN = PART_SIZE + (1 << 20);
    /** Files per part at most (the table's u16 index). */
    public static final int MAX_FILES = 0xffff;
    private static final int ENTRY_HEADER = 2 + 4 + 4;
    /** Plaintext header: u8 compression ‖ u32 original length. */
    private static final int HEADER = 1 + 4;
    /** Bytes per compression sample, and samples per part. */
    private static final int SAMPLE = 64 << 10;
    private static final int SAMPLES = 4;
    /**
     * zstd's default level: parts cross real networks, where bytes cost more than the CPU (at level 3 zstd
     * still compresses text at hundreds of MB/s per core); samples are judged at level 1.
     */
    static final int LEVEL = 3;

    private FilePart() {
    }

    /** A file whose chunks a part carries. */
    public record FileRef(String sourceNode, String path) {
    }

    /** One chunk found in a part: its file, index in that file, and where its bytes are in the part's data. */
    public record Chunk(FileRef file, int index, int offset, int length) {
    }

    /**
     * Collects the chunks of one part, for one set of recipients. Reused after {@link #sealAndReset}.
     * Not thread-safe.
     */
    public static final class Builder {
        private final Map<FileRef, Integer> files = new LinkedHashMap<>();
        private final Bytes table = new Bytes();
        private final Bytes entries = new Bytes();
        private final byte[] header = new byte[ENTRY_HEADER];
        /** The plaintext of the last part sealed, reused for the next one (a part is sealed into a new array). */
        private byte[] plain = new byte[0];

        /** Whether the chunk of {@code len} bytes of {@code file} fits (a part always takes its first chunk). */
        public boolean fits(FileRef file, int len) {
            if (isEmpty()) {
                return true;
            }
            if (!files.containsKey(file) && files.size() >= MAX_FILES) {
                return false;
            }
            int tableGrowth = files.containsKey(file) ? 0 : 4 + utf8(file.sourceNode()) + utf8(file.path());
            return (long) size() + tableGrowth + ENTRY_HEADER + len <= PART_SIZE;
        }

        /** Appends chunk {@code index} of {@code file}, {@code len} bytes of {@code buf} from {@code off}. */
        public void add(FileRef file, int index, byte[] buf, int off, int len) {
            Integer n = files.get(file);
            if (n == null) {
                n = files.size();
                if (n >= MAX_FILES) {
                    throw new IllegalStateException("a part carries at most " + MAX_FILES + " files");
                }
                files.put(file, n);
                table.writeBytes(new WireWriter().text(file.sourceNode()).text(file.path()).toByteArray());
            }
            header[0] = (byte) (n >>> 8);
            header[1] = (byte) (int) n;
            putInt(header, 2, index);
            putInt(header, 6, len);
            entries.write(header, 0, ENTRY_HEADER);
            entries.write(buf, off, len);
        }

        /** Plaintext bytes so far (table and entries). */
        public int size() {
            return 2 + table.size() + entries.size();
        }

        public boolean isEmpty() {
            return files.isEmpty();
        }

        /** The files this part carries, in table order. */
        public List<FileRef> files() {
            return List.copyOf(files.keySet());
        }

        /** Seals the collected chunks as part {@code partId} and empties the builder for the next part. */
        public byte[] sealAndReset(SessionId session, SecretBytes groupKey, long epoch, long runId, String partId) {
            // the plaintext is built in place after its header: one copy of the data, not three
            int n = size();
            if (plain.length < HEADER + n) {
                plain = new byte[Math.max(HEADER + n, Math.min(HEADER + MAX_PLAIN, 2 * plain.length))];
            }
            plain[HEADER] = (byte) (files.size() >>> 8);
            plain[HEADER + 1] = (byte) files.size();
            System.arraycopy(table.array(), 0, plain, HEADER + 2, table.size());
            System.arraycopy(entries.array(), 0, plain, HEADER + 2 + table.size(), entries.size());
            files.clear();
            table.reset();
            entries.reset();
            return sealPlain(session, groupKey, epoch, runId, partId, plain, n);
        }
    }

    static byte[] seal(SessionId session, SecretBytes groupKey, long epoch, long runId, String partId, byte[] data) {
        byte[] plain = new byte[HEADER + data.length];
        System.arraycopy(data, 0, plain, HEADER, data.length);
        return sealPlain(session, groupKey, epoch, runId, partId, plain, data.length);
    }

    /**
     * Seals the {@code n} bytes of data that follow the {@link #HEADER} in {@code plain} (the header is
     * filled here), compressed with zstd when that saves at least 10 %; the whole part is compressed only
     * when samples of it shrink by that much, so random or already compressed content costs no
     * compression pass.
     */
    private static byte[] sealPlain(SessionId session, SecretBytes groupKey, long epoch, long runId, String partId, byte[] plain, int n) {
        byte[] body = plain;
        int len = HEADER + n;
        int mode = 0;
        if (n >= 512 && worthCompressing(plain, HEADER, n)) {
            byte[] z = new byte[HEADER + (int) Zstd.compressBound(n)];
            long got = Zstd.compressByteArray(z, HEADER, z.length - HEADER, plain, HEADER, n, LEVEL);
            if (!Zstd.isError(got) && got < n * 0.9) {
                body = z;
                len = HEADER + (int) got;
                mode = 1;
            }
        }
        body[0] = (byte) mode;
        putInt(body, 1, n);
        return StreamSealer.sealAll(groupKey, context(session, epoch, runId, partId), body, 0, len);
    }

    /** Seals a body as it is (mode byte and length first); tests use it to build hostile parts. */
    static byte[] sealFramed(SessionId session, SecretBytes groupKey, long epoch, long runId, String partId, byte[] framed) {
        return StreamSealer.sealAll(groupKey, context(session, epoch, runId, partId), framed, 0, framed.length);
    }

    /**
     * Whether {@code n} bytes of {@code buf} from {@code off} look compressible: {@link #SAMPLES} samples of
     * {@link #SAMPLE} bytes, evenly spread, shrink by 10 % together (small data is always tried).
     */
    static boolean worthCompressing(byte[] buf, int off, int n) {
        if (n <= 2 * SAMPLES * SAMPLE) {
            return true;
        }
        long in = 0;
        long out = 0;
        byte[] dst = new byte[(int) Zstd.compressBound(SAMPLE)];
        long step = (long) (n - SAMPLE) / (SAMPLES - 1);
        for (int i = 0; i < SAMPLES; i++) {
            long got = Zstd.compressByteArray(dst, 0, dst.length, buf, off + (int) (i * step), SAMPLE, 1);
            if (Zstd.isError(got)) {
                return true;
            }
            in += SAMPLE;
            out += got;
        }
        return out < in * 0.9;
    }

    /** A part's data after {@link #open}: {@code length} bytes of {@code buf} from {@code offset} (read in place, not copied). */
    public record Data(byte[] buf, int offset, int length) {
        public Data {
            java.util.Objects.checkFromIndexSize(offset, length, buf.length);
        }
    }

    /** Opens part {@code partId}: authenticates, decompresses; returns its data (see {@link #unpack}). */
    public static Data open(SessionId session, SecretBytes groupKey, long epoch, long runId, String partId, byte[] sealed)
            throws WireException {
        return new Opener().open(session, groupKey, epoch, runId, partId, sealed);
    }

    /**
     * Opens parts one after another into one buffer it keeps: the {@link Data} of a part stays valid until
     * the next {@link #open}. Not thread-safe (one per thread).
     */
    public static final class Opener {
        private byte[] buf = new byte[0];

        /** Opens part {@code partId}: authenticates, decompresses; returns its data (see {@link #unpack}). */
        public Data open(SessionId session, SecretBytes groupKey, long epoch, long runId, String partId, byte[] sealed)
                throws WireException {
            if (buf.length < sealed.length) {
                buf = new byte[sealed.length];
            }
            int length;
            try {
                length = StreamOpener.openAll(groupKey, context(session, epoch, runId, partId), sealed, 0, sealed.length, buf, 0);
            } catch (CryptoException e) {
                throw new WireException("part " + partId + " does not authenticate (modified, swapped or replayed)");
            }
            WireReader r = new WireReader(buf, 0, length);
            int mode = r.u8("compression");
            long n = r.u32("original length");
            if (n > MAX_PLAIN) {
                throw new WireException("part " + partId + " claims " + n + " bytes, more than " + MAX_PLAIN);
            }
            int at = r.position();
            int stored = r.remaining();
            return switch (mode) {
                case 0 -> {
                    if (stored != n) {
                        throw new WireException("part " + partId + " has " + stored + " bytes, not " + n);
                    }
                    yield new Data(buf, at, stored);
                }
                case 1 -> {
                    byte[] out = org.ciphersync.session.wire.Compression.expandExactly(buf, at, stored, n, MAX_PLAIN, "part " + partId);
                    yield new Data(out, 0, out.length);
                }
                default -> throw new WireException("part " + partId + " uses unknown compression " + mode);
            };
        }
    }

    /** {@link #unpack(Data)} of a whole array. */
    public static List<Chunk> unpack(byte[] data) throws WireException {
        return unpack(new Data(data, 0, data.length));
    }

    /**
     * Splits a part's data into chunks, checking the table, every file index and every length; each chunk's
     * offset is in {@code data.buf()}.
     */
    public static List<Chunk> unpack(Data data) throws WireException {
        WireReader r = new WireReader(data.buf(), data.offset(), data.length());
        int f = (r.u8("file count high") << 8) | r.u8("file count low");
        if (f == 0) {
            throw new WireException("a part lists no file");
        }
        FileRef[] table = new FileRef[f];
        for (int i = 0; i < f; i++) {
            table[i] = new FileRef(r.text("source node", 16), r.text("path", 16 * 1024));
        }
        List<Chunk> out = new ArrayList<>();
        while (r.remaining() > 0) {
            int file = (r.u8("file index high") << 8) | r.u8("file index low");
            long index = r.u32("chunk index");
            long len = r.u32("chunk length");
            if (file >= f) {
                throw new WireException("a chunk names file " + file + " of a table of " + f);
            }
            if (index > Integer.MAX_VALUE || len > r.remaining()) {
                throw new WireException("chunk " + index + " of " + len + " bytes does not fit in its part");
            }
            out.add(new Chunk(table[file], (int) index, r.position(), (int) len));
            r.skip("chunk", (int) len);
        }
        return out;
    }

    private static AeadContext context(SessionId session, long epoch, long runId, String partId) {
        byte[] id = new WireWriter().u64(runId).text(partId).toByteArray();
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256").digest(id);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        return AeadContext.session(session.toString(), "file-part", digest, epoch);
    }

    private static int utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** A growable buffer whose bytes are read in place (no copy of up to 16 MiB per part). */
    private static final class Bytes extends ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }
    }
}
