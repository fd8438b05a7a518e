package org.ciphersync.session.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.ciphersync.core.apply.ApplyListener;
import org.ciphersync.core.apply.ApplyOptions;
import org.ciphersync.core.apply.ApplyReport;
import org.ciphersync.core.apply.Applier;
import org.ciphersync.core.apply.ItemResult;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.fs.LocalFileTree;
import org.ciphersync.core.inventory.Fingerprint;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.plan.ActionType;
import org.ciphersync.core.plan.Plan;
import org.ciphersync.core.plan.PlannedAction;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.client.RelayException;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.link.RelayLink;
import org.ciphersync.session.transfer.FilePart;
import org.ciphersync.session.wire.GroupMessage;
import org.ciphersync.session.wire.WireException;

/**
 * This member's part of one Data Synchronization run (S11), with the plan every member computed alike.
 *
 * <pre>
 * as a source (for each file another member needs from one of my nodes):
 *   check it did not change since the inventory → fingerprint it (core chunker) → MANIFEST
 *   wait for every target's NEED (chunks it lacks) → group chunks by the set of members that need them
 *   → pack them into parts ≤ 16 MiB, zstd when it pays, sealed → upload each part ONCE for that set → PARTS
 * as a target (on a MANIFEST for a file I need):
 *   index the chunks I already have (the old version at the target path, files of the same size, the
 *   fingerprints of my inventory) → NEED (a bitmap)
 *   on PARTS: write my local chunks and the downloaded ones at their offsets in a staging file,
 *   checking every chunk's hash and the whole-file hash → the core Applier copies it in place (temp name,
 *   hash check, rename, old version to the versions area); deletes, directories and dates run locally.
 * </pre>
 *
 * One file's failure (source changed, tampered part, member gone) fails only the items that need it.
 * NEEDs are computed on their own thread so that two members that are each other's source never wait
 * on each other.
 */
final class SyncRun {
    static final ChunkerParams CHUNKER = ChunkerParams.SYNC;

    /** What the run needs from its session client. */
    interface Context {
        int self();

        SessionId session();

        RelayLink link();

        long epoch();

        SecretBytes currentKey();

        Optional<SecretBytes> keyFor(long epoch);

        void broadcast(GroupMessage m) throws SessionException;

        boolean memberPresent(int memberId);

        void alert(String message);

        boolean active();

        /** Whether {@code memberId} already reported the end of its part of the run (it will ask for nothing more). */
        boolean finished(int memberId);

        /** Returns the destructive actions the person allows. */
        Set<PlannedAction> approve(List<PlannedAction> destructive);
    }

    /** What this member did. */
    record Outcome(int succeeded, int failed, String problem) {
    }

    private record LocalChunk(Path file, long offset, int length) {
    }

    private final Context ctx;
    private final long runId;
    private final Plan plan;
    private final Map<String, Integer> owner;
    private final Map<String, Path> roots;
    private final List<NodeInventory> mine;
    private final Duration patience;
    private final Map<String, GroupMessage.Manifest> manifests = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, GroupMessage.Need>> needs = new ConcurrentHashMap<>();
    private final Map<String, GroupMessage.Parts> parts = new ConcurrentHashMap<>();
    private final Map<String, List<PlannedAction>> wanted = new LinkedHashMap<>();
    private final ExecutorService needWorker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("session-need").unstarted(r));
    private Map<String, LocalChunk> localIndex;

    SyncRun(Context ctx, long runId, Plan plan, Map<String, Integer> owner, Map<String, Path> roots, List<NodeInventory> mine,
            Duration patience) {
        this.ctx = ctx;
        this.runId = runId;
        this.plan = plan;
        this.owner = Map.copyOf(owner);
        this.roots = Map.copyOf(roots);
        this.mine = List.copyOf(mine);
        this.patience = patience;
        for (PlannedAction a : plan.actions()) {
            if (isMine(a.targetNode()) && needsContent(a) && !isMine(a.sourceNode())) {
                wanted.computeIfAbsent(key(a.sourceNode(), a.source().path().value()), k -> new ArrayList<>()).add(a);
            }
        }
    }

    private boolean isMine(String node) {
        Integer o = owner.get(node);
        return o != null && o == ctx.self();
    }

    static boolean needsContent(PlannedAction a) {
        return (a.type() == ActionType.COPY || a.type() == ActionType.COPY_CONTENT) && a.source() != null && a.source().isFile();
    }

    private static String key(String node, String path) {
        return node + "\u0000" + path;
    }

    /** Called on the reader thread for run messages; never blocks. */
    void onMessage(int sender, GroupMessage m) {
        switch (m) {
            case GroupMessage.Manifest mf -> {
                String k = key(mf.sourceNode(), mf.path());
                if (wanted.containsKey(k) && Integer.valueOf(sender).equals(owner.get(mf.sourceNode()))) {
                    manifests.put(k, mf);
                    needWorker.submit(() -> answer(mf));
                }
            }
            case GroupMessage.Need nd -> {
                if (isMine(nd.sourceNode())) {
                    needs.computeIfAbsent(key(nd.sourceNode(), nd.path()), x -> new ConcurrentHashMap<>()).put(sender, nd);
                }
            }
            case GroupMessage.Parts ps -> {
                if (Integer.valueOf(sender).equals(owner.get(ps.sourceNode()))) {
                    parts.put(key(ps.sourceNode(), ps.path()), ps);
                }
            }
            default -> {
            }
        }
    }

    /** Runs this member's part: send, receive, apply. On the session's worker thread. */
    Outcome execute() {
        try {
            send();
            Path staging = Files.createTempDirectory("ciphersync-session-");
            try {
                return receiveAndApply(staging);
            } finally {
                deleteTree(staging);
            }
        } catch (IOException | RuntimeException e) {
            int count = (int) plan.actions().stream().filter(a -> isMine(a.targetNode())).count();
            return new Outcome(0, count, "the synchronization failed on this machine: " + e.getMessage());
        } finally {
            needWorker.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ source side

    private void send() {
        Map<String, PlannedAction> files = new LinkedHashMap<>();
        Map<String, Set<Integer>> targets = new HashMap<>();
        for (PlannedAction a : plan.actions()) {
            Integer t = owner.get(a.targetNode());
            if (needsContent(a) && isMine(a.sourceNode()) && t != null && t != ctx.self()) {
                String k = key(a.sourceNode(), a.source().path().value());
                files.putIfAbsent(k, a);
                targets.computeIfAbsent(k, x -> new TreeSet<>()).add(t);
            }
        }
        Map<String, Fingerprint> manifestOf = new HashMap<>();
        for (Map.Entry<String, PlannedAction> e : files.entrySet()) {
            PlannedAction a = e.getValue();
            Path file = roots.get(a.sourceNode()).resolve(a.source().path().value());
            String problem = null;
            try {
                long size = Files.size(file);
                long mtime = Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS);
                if (size != a.source().size() || mtime != a.source().mtimeNanos()) {
                    problem = a.source().path() + " changed on its source since the inventory; run the inventory again";
                } else {
                    Fingerprint fp;
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                        fp = Fingerprinter.fingerprint(ch, CHUNKER);
                    }
                    if (fp.chunkCount() > GroupMessage.Manifest.MAX_CHUNKS) {
                        problem = a.source().path() + " has more than " + GroupMessage.Manifest.MAX_CHUNKS
                                + " chunks, too large for a session transfer yet";
                    } else {
                        manifestOf.put(e.getKey(), fp);
                        ctx.broadcast(new GroupMessage.Manifest(runId, a.sourceNode(), a.source().path().value(), fp.fileHash(),
                                fp.chunkLengths(), fp.chunkHashes()));
                    }
                }
            } catch (IOException | SessionException x) {
                problem = a.source().path() + " could not be read on its source: " + x.getMessage();
            }
            if (problem != null) {
                announce(a, List.of(), problem);
            }
        }
        for (Map.Entry<String, Fingerprint> e : manifestOf.entrySet()) {
            PlannedAction a = files.get(e.getKey());
            Set<Integer> want = targets.get(e.getKey());
            long deadline = System.nanoTime() + patience.toNanos();
            Map<Integer, GroupMessage.Need> got;
            while (true) {
                Map<Integer, GroupMessage.Need> now = needs.getOrDefault(e.getKey(), Map.of());
                got = now;
                boolean all = want.stream().allMatch(t -> now.containsKey(t) || !ctx.memberPresent(t) || ctx.finished(t));
                if (all || System.nanoTime() > deadline || !ctx.active()) {
                    break;
                }
                sleep(10);
            }
            try {
                announce(a, upload(a, e.getValue(), got), "");
            } catch (IOException | RuntimeException x) {
                announce(a, List.of(), a.source().path() + " could not be sent: " + x.getMessage());
            }
        }
    }

    /** Uploads the chunks the targets lack, once per set of members that lack them. */
    private List<GroupMessage.PartRef> upload(PlannedAction a, Fingerprint fp, Map<Integer, GroupMessage.Need> got)
            throws IOException, RelayException {
        Map<List<Integer>, List<Integer>> byRecipients = new LinkedHashMap<>();
        for (int i = 0; i < fp.chunkCount(); i++) {
            List<Integer> who = new ArrayList<>();
            for (Map.Entry<Integer, GroupMessage.Need> n : new java.util.TreeMap<>(got).entrySet()) {
                if (n.getValue().chunkCount() == fp.chunkCount() && n.getValue().needs(i)) {
                    who.add(n.getKey());
                }
            }
            if (!who.isEmpty()) {
                byRecipients.computeIfAbsent(who, x -> new ArrayList<>()).add(i);
            }
        }
        long[] offsets = new long[fp.chunkCount()];
        for (int i = 1; i < offsets.length; i++) {
            offsets[i] = offsets[i - 1] + fp.chunkLengths()[i - 1];
        }
        List<GroupMessage.PartRef> refs = new ArrayList<>();
        Path file = roots.get(a.sourceNode()).resolve(a.source().path().value());
        long epoch;
        SecretBytes key;
        synchronized (this) {
            epoch = ctx.epoch();
            key = ctx.currentKey();
        }
        MessageDigest sha = sha256();
        try (key; RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            int partNo = 0;
            for (Map.Entry<List<Integer>, List<Integer>> g : byRecipients.entrySet()) {
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                byte[] buf = new byte[16 << 20];
                for (int idx : g.getValue()) {
                    int len = fp.chunkLengths()[idx];
                    in.seek(offsets[idx]);
                    in.readFully(buf, 0, len);
                    sha.update(buf, 0, len);
                    if (!Arrays.equals(sha.digest(), fp.chunkHash(idx))) {
                        throw new IOException(a.source().path() + " changed while it was being sent");
                    }
                    FilePart.packChunk(data, idx, buf, len);
                    if (data.size() >= FilePart.PART_SIZE) {
                        refs.add(flush(a, epoch, key, data, g.getKey(), partNo++));
                    }
                }
                if (data.size() > 0) {
                    refs.add(flush(a, epoch, key, data, g.getKey(), partNo++));
                }
            }
        }
        return refs;
    }

    private GroupMessage.PartRef flush(PlannedAction a, long epoch, SecretBytes key, ByteArrayOutputStream data, List<Integer> to, int partNo)
            throws RelayException {
        String id = "p" + Long.toHexString(runId) + "-" + ctx.self() + "-" + Integer.toHexString(a.source().path().hashCode())
                + "-" + partNo;
        byte[] plain = data.toByteArray();
        data.reset();
        ctx.link().uploadPart(id, FilePart.seal(ctx.session(), key, epoch, runId, a.sourceNode(), a.source().path().value(), id,
                plain, 0, plain.length), to);
        return new GroupMessage.PartRef(id, to);
    }

    private void announce(PlannedAction a, List<GroupMessage.PartRef> refs, String problem) {
        try {
            ctx.broadcast(new GroupMessage.Parts(runId, ctx.epoch(), a.sourceNode(), a.source().path().value(), refs, problem));
        } catch (SessionException e) {
            // the targets time out on this file; its items fail
        }
    }

    // ------------------------------------------------------------------ target side

    /** On the need thread: which chunks of {@code mf} this member lacks. */
    private void answer(GroupMessage.Manifest mf) {
        try {
            Map<String, LocalChunk> index = localIndex(mf);
            int n = mf.lengths().length;
            byte[] bitmap = new byte[(n + 7) / 8];
            byte[] hashes = mf.hashes();
            for (int i = 0; i < n; i++) {
                if (!index.containsKey(hex(hashes, i))) {
                    bitmap[i >>> 3] |= (byte) (1 << (i & 7));
                }
            }
            ctx.broadcast(new GroupMessage.Need(runId, mf.sourceNode(), mf.path(), n, bitmap));
        } catch (SessionException | RuntimeException e) {
            // the source times out waiting and sends nothing for us: the item fails
        }
    }

    /**
     * Chunks this member already has: its inventory's fingerprints, plus fresh fingerprints of the old
     * versions at the target paths and of its files with the size of a wanted file (renames, duplicates).
     */
    private synchronized Map<String, LocalChunk> localIndex(GroupMessage.Manifest trigger) {
        if (localIndex == null) {
            localIndex = new HashMap<>();
            for (NodeInventory n : mine) {
                Path root = roots.get(n.nodeId());
                for (InventoryEntry e : n.entries()) {
                    if (e.isFile() && e.fingerprint() != null) {
                        addChunks(root.resolve(e.path().value()), e.fingerprint());
                    }
                }
            }
            for (List<PlannedAction> as : wanted.values()) {
                for (PlannedAction a : as) {
                    if (a.expectedTarget() != null && a.expectedTarget().isFile() && a.expectedTarget().fingerprint() == null) {
                        fingerprintInto(roots.get(a.targetNode()).resolve(a.targetPath().value()));
                    }
                }
            }
        }
        long size = 0;
        for (int l : trigger.lengths()) {
            size += l;
        }
        int looked = 0;
        for (NodeInventory n : mine) {
            for (InventoryEntry e : n.entries()) {
                if (e.isFile() && e.size() == size && e.fingerprint() == null && looked++ < 8) {
                    fingerprintInto(roots.get(n.nodeId()).resolve(e.path().value()));
                }
            }
        }
        return localIndex;
    }

    private void fingerprintInto(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            addChunks(file, Fingerprinter.fingerprint(ch, CHUNKER));
        } catch (IOException e) {
            // not readable: its chunks are simply not reused
        }
    }

    private void addChunks(Path file, Fingerprint fp) {
        long off = 0;
        byte[] hashes = fp.chunkHashes();
        for (int i = 0; i < fp.chunkCount(); i++) {
            localIndex.putIfAbsent(hex(hashes, i), new LocalChunk(file, off, fp.chunkLengths()[i]));
            off += fp.chunkLengths()[i];
        }
    }

    private Outcome receiveAndApply(Path staging) throws IOException {
        Set<String> failedKeys = new java.util.HashSet<>();
        long deadline = System.nanoTime() + patience.toNanos() * 2;
        for (Map.Entry<String, List<PlannedAction>> w : wanted.entrySet()) {
            PlannedAction a = w.getValue().getFirst();
            int src = owner.get(a.sourceNode());
            GroupMessage.Parts ps;
            while ((ps = parts.get(w.getKey())) == null && System.nanoTime() < deadline && ctx.active() && ctx.memberPresent(src)) {
                sleep(10);
            }
            GroupMessage.Manifest mf = manifests.get(w.getKey());
            if (ps == null || !ps.unavailable().isEmpty() || mf == null) {
                failedKeys.add(w.getKey());
                continue;
            }
            try {
                assemble(staging, a, mf, ps);
            } catch (IOException | WireException e) {
                if (e instanceof WireException) {
                    ctx.alert("refused the content of " + a.source().path() + ": " + e.getMessage());
                }
                failedKeys.add(w.getKey());
            }
        }
        List<PlannedAction> runnable = new ArrayList<>();
        int failed = 0;
        for (PlannedAction a : plan.actions()) {
            if (!isMine(a.targetNode())) {
                continue;
            }
            if (needsContent(a) && !isMine(a.sourceNode()) && failedKeys.contains(key(a.sourceNode(), a.source().path().value()))) {
                failed++;
            } else {
                runnable.add(a);
            }
        }
        List<PlannedAction> destructive = runnable.stream().filter(SyncRun::destructive).toList();
        if (!destructive.isEmpty()) {
            Set<PlannedAction> allowed = ctx.approve(destructive);
            for (PlannedAction a : destructive) {
                if (!allowed.contains(a)) {
                    runnable.remove(a);
                    failed++;
                }
            }
        }
        Map<String, FileTree> trees = new HashMap<>();
        for (String node : plan.nodeIds()) {
            Path root = isMine(node) ? roots.get(node) : Files.createDirectories(staging.resolve(node));
            trees.put(node, new LocalFileTree(root));
        }
        ApplyReport report = Applier.apply(new Plan(plan.nodeIds(), runnable, List.of(), List.of()), trees,
                new ApplyOptions(ApplyOptions.defaults().threads(), CHUNKER, ApplyOptions.defaults().verifyRereadMaxBytes(),
                        ApplyOptions.defaults().clock()), new ApplyListener() { });
        int ok = 0;
        for (ItemResult r : report.results()) {
            if (r.ok()) {
                ok++;
            } else {
                failed++;
            }
        }
        return new Outcome(ok, failed, null);
    }

    /** Writes the file into the staging tree: local chunks and received ones at their offsets, every hash checked. */
    private void assemble(Path staging, PlannedAction a, GroupMessage.Manifest mf, GroupMessage.Parts ps)
            throws IOException, WireException, RelayException {
        Path nodeDir = staging.resolve(a.sourceNode());
        Path dest = nodeDir.resolve(a.source().path().value()).normalize();
        if (!dest.startsWith(nodeDir)) {
            throw new WireException("path " + a.source().path() + " escapes the staging folder");
        }
        int[] lengths = mf.lengths();
        byte[] hashes = mf.hashes();
        long[] offsets = new long[lengths.length];
        long size = 0;
        for (int i = 0; i < lengths.length; i++) {
            offsets[i] = size;
            size += lengths[i];
        }
        if (size != a.source().size()) {
            throw new WireException("the manifest of " + a.source().path() + " describes " + size + " bytes, the inventory " + a.source().size());
        }
        MessageDigest whole = sha256();
        whole.update(hashes);
        if (!Arrays.equals(whole.digest(), mf.fileHash())
                || (a.source().fingerprint() != null && !Arrays.equals(a.source().fingerprint().fileHash(), mf.fileHash()))) {
            throw new WireException("the manifest of " + a.source().path() + " does not match its file hash");
        }
        Files.createDirectories(dest.getParent());
        boolean[] have = new boolean[lengths.length];
        MessageDigest sha = sha256();
        try (RandomAccessFile out = new RandomAccessFile(dest.toFile(), "rw")) {
            out.setLength(size);
            Optional<SecretBytes> key = ctx.keyFor(ps.epoch());
            if (key.isEmpty() && !ps.parts().isEmpty()) {
                throw new IOException("the parts are sealed under key epoch " + ps.epoch() + ", which this member no longer holds");
            }
            for (GroupMessage.PartRef ref : ps.parts()) {
                if (!ref.recipients().contains(ctx.self())) {
                    continue;
                }
                byte[] plain;
                try (SecretBytes k = key.get().copy()) {
                    plain = FilePart.open(ctx.session(), k, ps.epoch(), runId, a.sourceNode(), a.source().path().value(), ref.partId(),
                            ctx.link().downloadPart(ref.partId()));
                }
                for (FilePart.Chunk c : FilePart.unpack(plain)) {
                    if (c.index() >= lengths.length || c.length() != lengths[c.index()]) {
                        throw new WireException("part " + ref.partId() + " carries chunk " + c.index() + " that the manifest does not have");
                    }
                    sha.update(plain, c.offset(), c.length());
                    if (!Arrays.equals(sha.digest(), Arrays.copyOfRange(hashes, c.index() * 32, c.index() * 32 + 32))) {
                        throw new WireException("chunk " + c.index() + " of " + a.source().path() + " does not match its hash");
                    }
                    out.seek(offsets[c.index()]);
                    out.write(plain, c.offset(), c.length());
                    have[c.index()] = true;
                }
            }
            key.ifPresent(SecretBytes::close);
            Map<String, LocalChunk> index = localIndex(mf);
            byte[] buf = new byte[0];
            for (int i = 0; i < lengths.length; i++) {
                if (have[i]) {
                    continue;
                }
                LocalChunk lc = index.get(hex(hashes, i));
                if (lc == null) {
                    throw new IOException("chunk " + i + " of " + a.source().path() + " was neither sent nor found locally");
                }
                if (buf.length < lc.length()) {
                    buf = new byte[lc.length()];
                }
                try (RandomAccessFile in = new RandomAccessFile(lc.file().toFile(), "r")) {
                    in.seek(lc.offset());
                    in.readFully(buf, 0, lc.length());
                }
                sha.update(buf, 0, lc.length());
                if (!Arrays.equals(sha.digest(), Arrays.copyOfRange(hashes, i * 32, i * 32 + 32))) {
                    throw new IOException("a local copy of chunk " + i + " of " + a.source().path() + " changed; run the inventory again");
                }
                out.seek(offsets[i]);
                out.write(buf, 0, lc.length());
            }
        }
        Files.setLastModifiedTime(dest, FileTime.from(a.source().mtimeNanos(), TimeUnit.NANOSECONDS));
    }

    // ------------------------------------------------------------------ helpers

    /** Deletes, overwrites of an existing item, and conflict renames: what a member may want to confirm. */
    static boolean destructive(PlannedAction a) {
        return a.type() == ActionType.DELETE || a.type() == ActionType.KEEP_AS_CONFLICT
                || ((a.type() == ActionType.COPY || a.type() == ActionType.COPY_CONTENT) && a.expectedTarget() != null);
    }

    private static String hex(byte[] hashes, int i) {
        return java.util.HexFormat.of().formatHex(hashes, i * 32, i * 32 + 32);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
