package org.ciphersync.session.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.inventory.Fingerprint;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.inventory.Skipped;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.state.ItemState;
import org.ciphersync.core.state.NodeState;
import org.ciphersync.session.wire.WireException;
import org.ciphersync.session.wire.WireReader;
import org.ciphersync.session.wire.WireWriter;

/**
 * Byte layout of a member's inventories as they travel (encrypted) to the other members:
 *
 * <pre>
 * u8 version = 2 ‖ u8 node count (1..5)
 * per node:  text node id (≤ 16 B) ‖ u8 case-sensitive ‖ u32 entry count (≤ 2,000,000)
 *   per entry: text path (RelPath, ≤ 4096 B) ‖ u8 type (0 file, 1 dir, 2 symlink, 3 other)
 *              ‖ u64 size ‖ u64 mtime ns ‖ u32 posix mode ‖ u8 has fingerprint
 *              [‖ 32 B file hash ‖ u32 chunk count (≤ 4 Mi) ‖ count × u32 length ‖ count × 32 B hash]
 *   ‖ u32 skipped count (≤ 100,000) ‖ per skipped: text path ‖ u8 reason ‖ text detail (≤ 300 B)
 *   ‖ text description (≤ 2048 chars) ‖ u8 has base
 *   [‖ text node set id (8..64 hex) ‖ u32 item count (≤ 2,000,000)
 *      ‖ per item: text path (RelPath) ‖ u8 type (0 file, 1 dir, 2 symlink) ‖ u64 size ‖ u64 mtime ns ‖ u8 has hash [‖ 32 B hash]]
 * </pre>
 *
 * Every path is validated with {@link RelPath} on decode (no {@code ..}, no absolute paths, no empty
 * or oversized names), chunk lengths must be positive and sum to the size, and the whole inventory is
 * bounded by the relay's part size. The {@code fileKey} (inode) stays local: it is 0 on decode. The base
 * (two-way state) is checked like a state file: valid paths, known types, no repeats.
 */
public final class InventoryCodec {
    public static final int MAX_ENTRIES = 2_000_000;
    /** Most chunks of one file's fingerprint: as many as a session transfers (4 Mi). */
    public static final int MAX_CHUNKS = org.ciphersync.session.wire.GroupMessage.Manifest.MAX_CHUNKS;
    public static final int MAX_SKIPPED = 100_000;
    /** Layout version: 2 added each node's description and two-way base. */
    public static final int VERSION = 2;
    private static final EntryType[] TYPES = {EntryType.FILE, EntryType.DIRECTORY, EntryType.SYMLINK, EntryType.OTHER};

    private InventoryCodec() {
    }

    public static byte[] encode(List<SharedNode> nodes) {
        WireWriter w = new WireWriter().u8(VERSION).u8(nodes.size());
        for (SharedNode shared : nodes) {
            NodeInventory n = shared.inventory();
            w.text(n.nodeId()).u8(n.caseSensitive() ? 1 : 0).u32(n.entries().size());
            for (InventoryEntry e : n.entries()) {
                w.text(e.path().value()).u8(typeCode(e.type())).u64(e.size()).u64(e.mtimeNanos()).u32(e.posixMode() & 0xffffffffL);
                Fingerprint f = e.fingerprint();
                if (f == null) {
                    w.u8(0);
                } else {
                    w.u8(1).raw(f.fileHash()).u32(f.chunkCount());
                    for (int l : f.chunkLengths()) {
                        w.u32(l);
                    }
                    w.raw(f.chunkHashes());
                }
            }
            w.u32(n.skipped().size());
            for (Skipped s : n.skipped()) {
                String detail = s.detail() == null ? "" : s.detail();
                w.text(s.path()).u8(s.reason().ordinal()).text(detail.length() > 300 ? detail.substring(0, 300) : detail);
            }
            w.text(shared.description());
            NodeState base = shared.base();
            if (base == null) {
                w.u8(0);
            } else {
                w.u8(1).text(base.nodeSetId()).u32(base.items().size());
                for (Map.Entry<RelPath, ItemState> e : base.sortedItems()) {
                    ItemState st = e.getValue();
                    w.text(e.getKey().value()).u8(typeCode(st.type())).u64(st.size()).u64(st.mtimeNanos());
                    if (st.fileHashHex() == null) {
                        w.u8(0);
                    } else {
                        w.u8(1).raw(HexFormat.of().parseHex(st.fileHashHex()));
                    }
                }
            }
        }
        return w.toByteArray();
    }

    public static List<SharedNode> decode(byte[] data) throws WireException {
        WireReader r = new WireReader(data);
        int v = r.u8("inventory version");
        if (v != VERSION) {
            throw new WireException("inventory version " + v + " is unknown");
        }
        int nodes = r.u8("node count");
        if (nodes < 1 || nodes > 5) {
            throw new WireException("node count " + nodes + " is not 1..5");
        }
        List<SharedNode> out = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            String id = r.text("node id", 16);
            boolean cs = r.u8("case sensitivity") == 1;
            long count = r.u32("entry count");
            if (count > MAX_ENTRIES || count > r.remaining() / 20) {
                throw new WireException("entry count " + count + " of node " + id + " is impossible here");
            }
            List<InventoryEntry> entries = new ArrayList<>((int) count);
            for (long j = 0; j < count; j++) {
                entries.add(entry(r, id));
            }
            long sk = r.u32("skipped count");
            if (sk > MAX_SKIPPED || sk > r.remaining() / 4) {
                throw new WireException("skipped count " + sk + " of node " + id + " is impossible here");
            }
            List<Skipped> skipped = new ArrayList<>((int) sk);
            for (long j = 0; j < sk; j++) {
                String path = r.text("skipped path", RelPath.MAX_LENGTH);
                int reason = r.u8("skip reason");
                if (reason >= Skipped.Reason.values().length) {
                    throw new WireException("skip reason " + reason + " is unknown");
                }
                skipped.add(new Skipped(path, Skipped.Reason.values()[reason], r.text("skip detail", 300)));
            }
            NodeInventory inventory = new NodeInventory(id, cs, entries, skipped);
            String description = r.text("node description", SharedNode.MAX_DESCRIPTION * 4);
            if (description.length() > SharedNode.MAX_DESCRIPTION) {
                throw new WireException("the description of node " + id + " is too long");
            }
            NodeState base = r.u8("base flag") == 1 ? base(r, id) : null;
            out.add(new SharedNode(inventory, description, base));
        }
        r.end("inventory");
        return out;
    }

    private static NodeState base(WireReader r, String node) throws WireException {
        String set = r.text("node set id", 64);
        if (!set.matches("[0-9a-f]{8,64}")) {
            throw new WireException("the base of node " + node + " names node set '" + set + "', not 8-64 hex digits");
        }
        long count = r.u32("base item count");
        if (count > MAX_ENTRIES || count > r.remaining() / 20) {
            throw new WireException("base item count " + count + " of node " + node + " is impossible here");
        }
        Map<RelPath, ItemState> items = new HashMap<>();
        for (long i = 0; i < count; i++) {
            RelPath path = path(r, node, "base");
            int t = r.u8("base item type");
            if (t > 2) {
                throw new WireException("base item type " + t + " is unknown");
            }
            long size = r.u64("base item size");
            long mtime = r.u64("base item mtime");
            if (size < 0) {
                throw new WireException("base size of " + path + " is negative");
            }
            String hash = r.u8("base hash flag") == 1 ? HexFormat.of().formatHex(r.raw("base hash", 32)) : null;
            if (items.put(path, new ItemState(TYPES[t], TYPES[t] == EntryType.DIRECTORY ? 0 : size, mtime, hash)) != null) {
                throw new WireException("the base of node " + node + " lists " + path + " twice");
            }
        }
        return new NodeState(set, items);
    }

    private static RelPath path(WireReader r, String node, String what) throws WireException {
        String raw = r.text(what + " path", RelPath.MAX_LENGTH * 4);
        RelPath path;
        try {
            path = RelPath.of(raw);
        } catch (IllegalArgumentException e) {
            throw new WireException("node " + node + " lists an invalid " + what + " path: " + e.getMessage());
        }
        if (path.isRoot()) {
            throw new WireException("node " + node + " lists its root as an " + what + " entry");
        }
        return path;
    }

    private static InventoryEntry entry(WireReader r, String node) throws WireException {
        RelPath path = path(r, node, "inventory");
        int t = r.u8("entry type");
        if (t >= TYPES.length) {
            throw new WireException("entry type " + t + " is unknown");
        }
        long size = r.u64("size");
        long mtime = r.u64("mtime");
        long mode = r.u32("posix mode");
        if (size < 0) {
            throw new WireException("size of " + path + " is negative");
        }
        Fingerprint fp = null;
        if (r.u8("fingerprint flag") == 1) {
            byte[] fileHash = r.raw("file hash", Fingerprint.HASH_LENGTH);
            long n = r.u32("chunk count");
            if (n > MAX_CHUNKS || n * (4 + Fingerprint.HASH_LENGTH) > r.remaining()) {
                throw new WireException("chunk count " + n + " of " + path + " is impossible here");
            }
            int[] lengths = new int[(int) n];
            long sum = 0;
            for (int k = 0; k < n; k++) {
                long l = r.u32("chunk length");
                if (l == 0 || l > Integer.MAX_VALUE) {
                    throw new WireException("chunk " + k + " of " + path + " has length " + l);
                }
                lengths[k] = (int) l;
                sum += l;
            }
            if (sum != size) {
                throw new WireException("chunks of " + path + " add up to " + sum + " bytes, not its size " + size);
            }
            fp = new Fingerprint(fileHash, lengths, r.raw("chunk hashes", (int) n * Fingerprint.HASH_LENGTH));
        }
        return new InventoryEntry(path, TYPES[t], size, mtime, (int) mode, 0L, fp);
    }

    private static int typeCode(EntryType t) {
        return switch (t) {
            case FILE -> 0;
            case DIRECTORY -> 1;
            case SYMLINK -> 2;
            case OTHER -> 3;
        };
    }
}
