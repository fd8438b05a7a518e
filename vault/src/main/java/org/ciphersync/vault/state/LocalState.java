package org.ciphersync.vault.state;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.repo.Head;
import org.ciphersync.vault.sync.SyncedVersion;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.TreeCodec;
import org.ciphersync.vault.tree.TreeFormatException;
import org.ciphersync.vault.tree.VaultPath;

/**
 * What this computer knows about one namespace of its vault: the last synchronized version of
 * every path (the base of version vectors and of the preview) and the last head it saw of every
 * computer's log (rollback detection). Stored as {@code <data>/ciphersync/vault/<id>/<ns>.state},
 * gzip of:
 *
 * <pre>
 * "CSS2" u32 heads (computer(16) seq(u64) hash(32))* u32 entries
 * entry = u16 len path(UTF-8) u8 kind fields(TreeCodec.writeFields) i64 localSize i64 localMtime
 * </pre>
 * {@code "CSS1"} (the same layout, written before folders had versions, so without kind 2) is
 * still read.
 * Replaced atomically (temp + fsync + rename), so a crash leaves the previous state.
 */
public final class LocalState {
    private static final byte[] MAGIC = "CSS2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_V1 = "CSS1".getBytes(StandardCharsets.US_ASCII);

    private final TreeMap<VaultPath, SyncedVersion> synced;
    private final TreeMap<ComputerId, Head> heads;

    public LocalState(Map<VaultPath, SyncedVersion> synced, Map<ComputerId, Head> heads) {
        this(new TreeMap<>(synced), new TreeMap<>(heads));
    }

    /** Takes both maps as they are (no copy: a million-path state is not held twice). */
    private LocalState(TreeMap<VaultPath, SyncedVersion> synced, TreeMap<ComputerId, Head> heads) {
        this.synced = synced;
        this.heads = heads;
    }

    public static LocalState empty() {
        return new LocalState(new TreeMap<>(), new TreeMap<>());
    }

    public NavigableMap<VaultPath, SyncedVersion> synced() {
        return synced;
    }

    public Map<ComputerId, Head> heads() {
        return heads;
    }

    public static Path file(StateDirs dirs, String vaultId, String ns) {
        return dirs.vaultDataDir(vaultId).resolve(ns + ".state");
    }

    public static LocalState load(StateDirs dirs, String vaultId, String ns) {
        return load(dirs, vaultId, ns, p -> null);
    }

    /**
     * Loads the state; a recorded version equal to {@code known}'s version of its path (the merged
     * vault state, say) is replaced by that instance, so that a synchronized path holds one copy of
     * its version, not two (a million-file vault holds both maps at once).
     */
    public static LocalState load(StateDirs dirs, String vaultId, String ns, Function<VaultPath, FileVersion> known) {
        Path f = file(dirs, vaultId, ns);
        if (!Files.exists(f)) {
            return empty();
        }
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(f), 1 << 16)) {
            return decode(new Records(in), f.toString(), known);
        } catch (IOException e) {
            throw new VaultException(VaultException.Kind.REFUSED, "the local vault state " + f + " cannot be read: " + e.getMessage()
                    + " (move it away to start over; the next down-sync will then treat differing local files as conflicts)", e);
        }
    }

    private static LocalState decode(Records in, String where, Function<VaultPath, FileVersion> known) throws IOException {
        try {
            TreeMap<ComputerId, Head> heads = in.read(b -> {
                byte[] m = new byte[4];
                b.get(m);
                if (!java.util.Arrays.equals(m, MAGIC) && !java.util.Arrays.equals(m, MAGIC_V1)) {
                    throw new TreeFormatException(where + " is not a state file");
                }
                int nh = b.getInt();
                TreeMap<ComputerId, Head> hs = new TreeMap<>();
                for (int i = 0; i < nh; i++) {
                    byte[] c = new byte[16];
                    b.get(c);
                    long seq = b.getLong();
                    byte[] h = new byte[32];
                    b.get(h);
                    hs.put(ComputerId.fromBytes(c), new Head(seq, HexFormat.of().formatHex(h)));
                }
                return hs;
            });
            int n = in.read(ByteBuffer::getInt);
            TreeMap<VaultPath, SyncedVersion> synced = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                SyncedVersion s = in.read(b -> {
                    byte[] pb = new byte[b.getShort() & 0xffff];
                    b.get(pb);
                    VaultPath p = VaultPath.parse(new String(pb, StandardCharsets.UTF_8));
                    EntryKind kind = EntryKind.ofCode(b.get() & 0xff);
                    FileVersion v = TreeCodec.readFields(b, p, kind, where);
                    FileVersion same = known.apply(p);
                    if (v.equals(same)) {
                        v = same;
                    }
                    return new SyncedVersion(v, b.getLong(), b.getLong());
                });
                synced.put(s.version().path(), s);
            }
            return new LocalState(synced, heads);
        } catch (BufferUnderflowException | IllegalArgumentException | TreeFormatException e) {
            throw new VaultException(VaultException.Kind.REFUSED, "the local vault state " + where + " is damaged: " + e.getMessage()
                    + " (move it away to start over)", e);
        }
    }

    /**
     * Reads the records of a stream through a buffer, so that a large state is never held whole: a
     * record is decoded from what the buffer holds; when decoding fails before the end of the
     * stream (the record continues past the buffer), the buffer is refilled, grown if needed, and
     * the record decoded again. Decoders must therefore have no side effects besides their result.
     */
    private static final class Records {
        private static final int WANT = 1 << 16;
        private final InputStream in;
        private ByteBuffer buf = ByteBuffer.allocate(2 * WANT).flip();
        private boolean eof;

        Records(InputStream in) {
            this.in = in;
        }

        <T> T read(Function<ByteBuffer, T> decoder) throws IOException {
            int want = WANT;
            while (true) {
                fill(want);
                int start = buf.position();
                try {
                    return decoder.apply(buf);
                } catch (RuntimeException e) {
                    if (eof) {
                        throw e;
                    }
                    buf.position(start);
                    want = Math.multiplyExact(want, 2);
                }
            }
        }

        /** Makes at least {@code want} bytes readable, or all that is left. */
        private void fill(int want) throws IOException {
            if (eof || buf.remaining() >= want) {
                return;
            }
            buf.compact();
            if (buf.capacity() < want) {
                buf = ByteBuffer.allocate(Math.max(want, 2 * buf.capacity())).put(buf.flip());
            }
            while (buf.position() < want) {
                int r = in.read(buf.array(), buf.position(), buf.capacity() - buf.position());
                if (r < 0) {
                    eof = true;
                    break;
                }
                buf.position(buf.position() + r);
            }
            buf.flip();
        }
    }

    public void save(StateDirs dirs, String vaultId, String ns) throws IOException {
        save(dirs, vaultId, ns, heads);
    }

    /** Saves this state's synchronized versions with {@code heads} instead of its own (neither is copied). */
    public void save(StateDirs dirs, String vaultId, String ns, Map<ComputerId, Head> heads) throws IOException {
        AtomicFiles.write(file(dirs, vaultId, ns), out -> {
            try (DataOutputStream d = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(out, 1 << 16), 1 << 16))) {
                d.write(MAGIC);
                d.writeInt(heads.size());
                for (Map.Entry<ComputerId, Head> e : heads.entrySet()) {
                    d.write(e.getKey().bytes());
                    d.writeLong(e.getValue().seq());
                    d.write(HexFormat.of().parseHex(e.getValue().hash()));
                }
                d.writeInt(synced.size());
                for (Map.Entry<VaultPath, SyncedVersion> e : synced.entrySet()) {
                    byte[] p = e.getKey().toString().getBytes(StandardCharsets.UTF_8);
                    d.writeShort(p.length);
                    d.write(p);
                    FileVersion v = e.getValue().version();
                    d.writeByte(v.kind().code());
                    TreeCodec.writeFields(d, v);
                    d.writeLong(e.getValue().localSize());
                    d.writeLong(e.getValue().localMtimeNanos());
                }
            }
        });
    }
}
