package org.ciphersync.session.wire;

import java.util.ArrayList;
import java.util.List;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.session.member.SourceEntry;

/**
 * Byte layout of {@link GroupMessage} (u8 type, then the body; all integers big-endian):
 *
 * <pre>
 * 0x01 ANNOUNCE  u32 member id ‖ identity public keys (65 B)
 * 0x02 STATE     u8 n (≤ 32) ‖ n × (u8 kind 1 dir / 2 file ‖ u16 len ‖ UTF-8 path (≤ 1024 B))
 * 0x04 SYNC      (empty) — the sender lost frames and asks everybody to repeat their state
 * 0x05 INVENTORY u64 run id ‖ u64 key epoch ‖ text part id (≤ 64 B of [A-Za-z0-9_-], empty = no sources)
 * 0x06 MANIFEST  u64 run id ‖ text source node (≤ 16 B) ‖ text path (≤ 16 KiB) ‖ 32 B file hash
 *                ‖ u32 total chunks (≤ 4 Mi) ‖ u32 first chunk of this page ‖ u32 n (≤ 20,000; 0 only when total = 0;
 *                first + n ≤ total) ‖ n × u32 chunk length ‖ n × 32 B chunk hash ‖ members (the targets that answer it)
 *                — one page of a file's chunk list; the pages of a file follow each other in order
 * 0x08 NEED      u64 run id ‖ text source node ‖ text path ‖ u32 n (≤ 4 Mi) ‖ bitmap ((n + 7) / 8 bytes; bit i = chunk i needed)
 * 0x09 PARTS     u64 run id ‖ u64 key epoch ‖ text source node ‖ text path ‖ text unavailable-reason (≤ 300 B, empty = ok)
 *                ‖ u16 m (≤ 4096) ‖ m × (text part id ‖ u8 r (1..8) ‖ r × u32 recipient) ‖ members (whom it answers)
 * 0x0A INVFAIL   u64 run id ‖ text message (≤ 300 B)
 * 0x07 SYNCDONE  u64 run id ‖ u32 items done ‖ u32 items failed ‖ u8 complete (1: every failure is listed)
 *                ‖ u16 f (≤ 1000) ‖ f × (text node ‖ text path ‖ text reason (≤ 300 chars))
 * 0x0B TAKEOVER  u64 run id ‖ u32 old member ‖ u32 new member
 *                ‖ u64 order epoch ‖ u64 order sequence ‖ u8 order kind ‖ u32 len (≤ 60 KiB) ‖ order body ‖ 64 B signature
 *                ‖ u64 inventory epoch ‖ text inventory part id ‖ u8 o (1..5) ‖ o × (text node ‖ u32 member)
 *                ‖ u8 s (≤ 32) ‖ s × source (as in STATE) ‖ u8 r (≤ 8) ‖ r × (u32 member ‖ u32 done ‖ u32 failed)
 * 0x0C READY     u64 run id
 * 0x0D BUNDLE    u16 n (1..65,535) ‖ n × (u32 len ‖ a MANIFEST, NEED or PARTS message as above) — handled in order
 * members        = u8 k (≤ 8) ‖ k × u32 member id
 * 0x03 ORDER     u8 kind (1 settings, 2 start inventory, 3 start synchronization, 4 restart)
 *                ‖ u32 len (≤ 60 KiB) ‖ body ‖ Ed25519 signature (64 B)
 * </pre>
 *
 * Decoding is strict: unknown types and kinds, bad lengths and trailing bytes are refused.
 */
public final class GroupMessageCodec {
    static final int ANNOUNCE = 1;
    static final int STATE = 2;
    static final int ORDER = 3;
    static final int SYNC = 4;
    static final int INVENTORY = 5;
    static final int MANIFEST = 6;
    static final int SYNC_DONE = 7;
    static final int NEED = 8;
    static final int PARTS = 9;
    static final int INVENTORY_FAILED = 10;
    static final int TAKEOVER = 11;
    static final int READY = 12;
    static final int BUNDLE = 13;
    static final int UPLOADED = 14;

    private GroupMessageCodec() {
    }

    public static byte[] encode(GroupMessage m) {
        WireWriter w = new WireWriter();
        switch (m) {
            case GroupMessage.Announce a -> w.u8(ANNOUNCE).u32(a.memberId()).raw(a.keys().encode());
            case GroupMessage.MemberState s -> sources(w.u8(STATE), s.sources());
            case GroupMessage.SyncRequest r -> w.u8(SYNC);
            case GroupMessage.InventoryReady i -> w.u8(INVENTORY).u64(i.runId()).u64(i.epoch()).text(i.partId());
            case GroupMessage.Manifest mf -> {
                w.u8(MANIFEST).u64(mf.runId()).text(mf.sourceNode()).text(mf.path()).raw(mf.fileHash()).u32(mf.totalChunks())
                        .u32(mf.firstChunk()).u32(mf.lengths().length);
                for (int l : mf.lengths()) {
                    w.u32(l);
                }
                members(w.raw(mf.hashes()), mf.targets());
            }
            case GroupMessage.Need nd -> w.u8(NEED).u64(nd.runId()).text(nd.sourceNode()).text(nd.path()).u32(nd.chunkCount()).raw(nd.bitmap());
            case GroupMessage.Parts ps -> {
                w.u8(PARTS).u64(ps.runId()).u64(ps.epoch()).text(ps.sourceNode()).text(ps.path()).text(ps.unavailable());
                w.u8(ps.parts().size() >>> 8).u8(ps.parts().size() & 0xff);
                for (GroupMessage.PartRef ref : ps.parts()) {
                    partRef(w, ref);
                }
                members(w, ps.answers());
            }
            case GroupMessage.Uploaded u -> partRef(w.u8(UPLOADED).u64(u.runId()).u64(u.epoch()), u.part());
            case GroupMessage.InventoryFailed f -> w.u8(INVENTORY_FAILED).u64(f.runId())
                    .text(f.message().length() > 300 ? f.message().substring(0, 300) : f.message());
            case GroupMessage.SyncDone d -> {
                w.u8(SYNC_DONE).u64(d.runId()).u32(d.succeeded()).u32(d.failed()).u8(d.complete() ? 1 : 0).u8(d.failures().size() >>> 8)
                        .u8(d.failures().size() & 0xff);
                for (GroupMessage.ItemFailure f : d.failures()) {
                    w.text(f.node()).text(f.path()).text(f.reason());
                }
            }
            case GroupMessage.Takeover t -> {
                GroupMessage.SignedOrder o = t.order();
                byte[] body = o.order().body();
                w.u8(TAKEOVER).u64(t.runId()).u32(t.oldMember()).u32(t.newMember()).u64(o.epoch()).u64(o.sequence())
                        .u8(o.order().kind().code()).u32(body.length).raw(body).raw(o.order().signature()).u64(t.inventoryEpoch())
                        .text(t.inventoryPart()).u8(t.owners().size());
                for (GroupMessage.NodeOwner no : t.owners()) {
                    w.text(no.nodeId()).u32(no.memberId());
                }
                sources(w, t.oldSources()).u8(t.results().size());
                for (GroupMessage.Result r : t.results()) {
                    w.u32(r.memberId()).u32(r.succeeded()).u32(r.failed());
                }
            }
            case GroupMessage.Ready rd -> w.u8(READY).u64(rd.runId());
            case GroupMessage.Bundle b -> {
                w.u8(BUNDLE).u8(b.messages().size() >>> 8).u8(b.messages().size() & 0xff);
                for (GroupMessage inner : b.messages()) {
                    byte[] e = encode(inner);
                    w.u32(e.length).raw(e);
                }
            }
            case GroupMessage.LeaderOrder o -> {
                byte[] body = o.body();
                w.u8(ORDER).u8(o.kind().code()).u32(body.length).raw(body).raw(o.signature());
            }
        }
        return w.toByteArray();
    }

    public static GroupMessage decode(byte[] data) throws WireException {
        WireReader r = new WireReader(data);
        int type = r.u8("message type");
        GroupMessage m = switch (type) {
            case ANNOUNCE -> decodeAnnounce(r);
            case STATE -> new GroupMessage.MemberState(sources(r));
            case ORDER -> decodeOrder(r);
            case SYNC -> new GroupMessage.SyncRequest();
            case MANIFEST -> decodeManifest(r);
            case NEED -> decodeNeed(r);
            case PARTS -> decodeParts(r);
            case UPLOADED -> new GroupMessage.Uploaded(r.u64("run id"), r.u64("part epoch"), partRef(r));
            case INVENTORY_FAILED -> new GroupMessage.InventoryFailed(r.u64("run id"), r.text("message", 300 * 4));
            case SYNC_DONE -> decodeSyncDone(r);
            case TAKEOVER -> decodeTakeover(r);
            case READY -> new GroupMessage.Ready(r.u64("run id"));
            case BUNDLE -> decodeBundle(r, data);
            case INVENTORY -> decodeInventoryReady(r);
            default -> throw new WireException("message type " + type + " is unknown");
        };
        r.end("group message");
        return m;
    }

    // One method per message type: the JIT compiles the few that are hot (MANIFEST, NEED, PARTS, UPLOADED,
    // BUNDLE) on their own instead of one method holding every type, whose optimizing compilation took
    // about a second of CPU in each member of a session over many small files.

    private static GroupMessage decodeAnnounce(WireReader r) throws WireException {
        int id = r.id("announced member id");
        byte[] keys = r.raw("announced identity", IdentityPublicKeys.ENCODED_LENGTH);
        try {
            return new GroupMessage.Announce(id, IdentityPublicKeys.decode(keys, 0));
        } catch (MalformedCiphertextException e) {
            throw new WireException("announced identity is invalid: " + e.getMessage());
        }
    }

    private static GroupMessage decodeOrder(WireReader r) throws WireException {
        int k = r.u8("order kind");
        Message.LeaderCommand.Kind kind = kindOf(k);
        long len = r.u32("order body length");
        if (len > GroupMessage.LeaderOrder.MAX_BODY) {
            throw new WireException("order body of " + len + " bytes exceeds " + GroupMessage.LeaderOrder.MAX_BODY);
        }
        byte[] body = r.raw("order body", (int) len);
        byte[] sig = r.raw("order signature", 64);
        return new GroupMessage.LeaderOrder(kind, body, sig);
    }

    private static GroupMessage decodeManifest(WireReader r) throws WireException {
        long run = r.u64("run id");
        String node = r.text("source node", 16);
        String path = r.text("path", 16 * 1024);
        byte[] fileHash = r.raw("file hash", 32);
        long total = r.u32("total chunk count");
        long first = r.u32("first chunk");
        long n = r.u32("chunk count");
        if (total > GroupMessage.Manifest.MAX_CHUNKS || n > GroupMessage.Manifest.MAX_PAGE || n * 36 > r.remaining()
                || first + n > total || (n == 0) != (total == 0)) {
            throw new WireException("manifest page of " + path + " (chunks " + first + "+" + n + " of " + total + ") is impossible");
        }
        int[] lengths = new int[(int) n];
        for (int i = 0; i < n; i++) {
            long l = r.u32("chunk length");
            if (l == 0 || l > 16 << 20) {
                throw new WireException("chunk " + i + " of " + path + " has length " + l);
            }
            lengths[i] = (int) l;
        }
        byte[] hashes = r.raw("chunk hashes", (int) n * 32);
        return new GroupMessage.Manifest(run, node, path, fileHash, (int) total, (int) first, lengths, hashes,
                members(r, "manifest targets"));
    }

    private static GroupMessage decodeNeed(WireReader r) throws WireException {
        long run = r.u64("run id");
        String node = r.text("source node", 16);
        String path = r.text("path", 16 * 1024);
        long n = r.u32("chunk count");
        if (n > GroupMessage.Manifest.MAX_CHUNKS) {
            throw new WireException("chunk count " + n + " of " + path + " exceeds " + GroupMessage.Manifest.MAX_CHUNKS);
        }
        return new GroupMessage.Need(run, node, path, (int) n, r.raw("need bitmap", (int) (n + 7) / 8));
    }

    private static GroupMessage decodeParts(WireReader r) throws WireException {
        long run = r.u64("run id");
        long epoch = r.u64("parts epoch");
        String node = r.text("source node", 16);
        String path = r.text("path", 16 * 1024);
        String unavailable = r.text("unavailable reason", 300);
        int count = (r.u8("part count high") << 8) | r.u8("part count low");
        if (count > GroupMessage.Parts.MAX_PARTS) {
            throw new WireException("part count " + count + " exceeds " + GroupMessage.Parts.MAX_PARTS);
        }
        List<GroupMessage.PartRef> refs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            refs.add(partRef(r));
        }
        return new GroupMessage.Parts(run, epoch, node, path, refs, unavailable, members(r, "parts answers"));
    }

    private static GroupMessage decodeSyncDone(WireReader r) throws WireException {
        long run = r.u64("run id");
        long ok = r.u32("items done");
        long failed = r.u32("items failed");
        boolean complete = r.u8("complete flag") == 1;
        int n = (r.u8("failure count high") << 8) | r.u8("failure count low");
        if (n > GroupMessage.SyncDone.MAX_FAILURES) {
            throw new WireException("failure count " + n + " exceeds " + GroupMessage.SyncDone.MAX_FAILURES);
        }
        List<GroupMessage.ItemFailure> failures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            failures.add(new GroupMessage.ItemFailure(r.text("failed node", 16), r.text("failed path", 16 * 1024),
                    r.text("failure reason", GroupMessage.ItemFailure.MAX_REASON * 4)));
        }
        return new GroupMessage.SyncDone(run, (int) Math.min(ok, Integer.MAX_VALUE), (int) Math.min(failed, Integer.MAX_VALUE),
                failures, complete);
    }

    private static GroupMessage decodeTakeover(WireReader r) throws WireException {
        long run = r.u64("run id");
        int oldMember = r.id("old member");
        int newMember = r.id("new member");
        long epoch = r.u64("order epoch");
        long seq = r.u64("order sequence");
        Message.LeaderCommand.Kind kind = kindOf(r.u8("order kind"));
        long len = r.u32("order body length");
        if (len > GroupMessage.LeaderOrder.MAX_BODY) {
            throw new WireException("order body of " + len + " bytes exceeds " + GroupMessage.LeaderOrder.MAX_BODY);
        }
        GroupMessage.SignedOrder order = new GroupMessage.SignedOrder(epoch, seq,
                new GroupMessage.LeaderOrder(kind, r.raw("order body", (int) len), r.raw("order signature", 64)));
        long invEpoch = r.u64("inventory epoch");
        String part = r.text("inventory part", 64);
        int o = r.u8("owner count");
        if (o < 1 || o > 5) {
            throw new WireException("owner count " + o + " is not 1..5");
        }
        List<GroupMessage.NodeOwner> owners = new ArrayList<>(o);
        for (int i = 0; i < o; i++) {
            owners.add(new GroupMessage.NodeOwner(r.text("owned node", 16), r.id("owner")));
        }
        List<SourceEntry> oldSources = sources(r);
        int k = r.u8("result count");
        if (k > 8) {
            throw new WireException("result count " + k + " exceeds 8");
        }
        List<GroupMessage.Result> results = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            results.add(new GroupMessage.Result(r.id("result member"), (int) Math.min(r.u32("done"), Integer.MAX_VALUE),
                    (int) Math.min(r.u32("failed"), Integer.MAX_VALUE)));
        }
        try {
            return new GroupMessage.Takeover(run, oldMember, newMember, order, invEpoch, part, owners, oldSources, results);
        } catch (IllegalArgumentException e) {
            throw new WireException(e.getMessage());
        }
    }

    private static GroupMessage decodeBundle(WireReader r, byte[] data) throws WireException {
        int n = (r.u8("bundle count high") << 8) | r.u8("bundle count low");
        if (n == 0) {
            throw new WireException("a bundle carries no message");
        }
        List<GroupMessage> inner = new ArrayList<>(Math.min(n, 4096));
        for (int i = 0; i < n; i++) {
            long len = r.u32("bundled message length");
            if (len == 0 || len > r.remaining()) {
                throw new WireException("bundled message " + i + " of " + len + " bytes does not fit");
            }
            int type0 = data[r.position()] & 0xff;
            if (type0 != MANIFEST && type0 != NEED && type0 != PARTS && type0 != UPLOADED) {
                throw new WireException("message type " + type0 + " does not travel in a bundle");
            }
            inner.add(decode(r.raw("bundled message", (int) len)));
        }
        return new GroupMessage.Bundle(inner);
    }

    private static GroupMessage decodeInventoryReady(WireReader r) throws WireException {
        long run = r.u64("run id");
        long epoch = r.u64("inventory epoch");
        String part = r.text("part id", 64);
        try {
            return new GroupMessage.InventoryReady(run, epoch, part);
        } catch (IllegalArgumentException e) {
            throw new WireException(e.getMessage());
        }
    }

    /** text part id (≤ 64) ‖ u8 k ‖ k × u32 recipient. */
    private static WireWriter partRef(WireWriter w, GroupMessage.PartRef ref) {
        w.text(ref.partId()).u8(ref.recipients().size());
        ref.recipients().forEach(w::u32);
        return w;
    }

    private static GroupMessage.PartRef partRef(WireReader r) throws WireException {
        String id = r.text("part id", 64);
        int k = r.u8("recipient count");
        if (k > 8) {
            throw new WireException("recipient count " + k + " exceeds 8");
        }
        List<Integer> rec = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            rec.add(r.id("recipient"));
        }
        try {
            return new GroupMessage.PartRef(id, rec);
        } catch (IllegalArgumentException e) {
            throw new WireException(e.getMessage());
        }
    }

    private static WireWriter sources(WireWriter w, List<SourceEntry> sources) {
        w.u8(sources.size());
        for (SourceEntry e : sources) {
            w.u8(e.kind() == SourceEntry.Kind.DIRECTORY ? 1 : 2).text(e.path());
        }
        return w;
    }

    private static List<SourceEntry> sources(WireReader r) throws WireException {
        int n = r.u8("source count");
        if (n > SourceEntry.MAX_PER_MEMBER) {
            throw new WireException("source count " + n + " exceeds " + SourceEntry.MAX_PER_MEMBER);
        }
        List<SourceEntry> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = r.u8("source kind");
            if (k != 1 && k != 2) {
                throw new WireException("source kind " + k + " at index " + i + " is unknown");
            }
            String path = r.text("source path", SourceEntry.MAX_PATH_BYTES);
            try {
                list.add(new SourceEntry(k == 1 ? SourceEntry.Kind.DIRECTORY : SourceEntry.Kind.FILE, path));
            } catch (IllegalArgumentException e) {
                throw new WireException("source " + i + ": " + e.getMessage());
            }
        }
        return list;
    }

    private static WireWriter members(WireWriter w, List<Integer> ids) {
        w.u8(ids.size());
        ids.forEach(w::u32);
        return w;
    }

    private static List<Integer> members(WireReader r, String field) throws WireException {
        int k = r.u8(field + " count");
        if (k > 8) {
            throw new WireException(field + ": " + k + " members exceed 8");
        }
        List<Integer> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int id = r.id(field);
            if (out.contains(id)) {
                throw new WireException(field + ": member " + id + " repeats");
            }
            out.add(id);
        }
        return out;
    }

    /** The order kind with wire code {@code code}. */
    public static Message.LeaderCommand.Kind kindOf(int code) throws WireException {
        for (Message.LeaderCommand.Kind k : Message.LeaderCommand.Kind.values()) {
            if (k.code() == code) {
                return k;
            }
        }
        throw new WireException("order kind " + code + " is unknown");
    }
}
