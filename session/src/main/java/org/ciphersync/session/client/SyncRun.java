package org.ciphersync.session.client;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ciphersync.core.apply.ApplyListener;
import org.ciphersync.core.apply.ApplyOptions;
import org.ciphersync.core.apply.ApplyReport;
import org.ciphersync.core.apply.Applier;
import org.ciphersync.core.apply.ItemResult;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.fs.FileAttrs;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.fs.LocalFileTree;
import org.ciphersync.core.fs.PosixMode;
import org.ciphersync.core.inventory.Fingerprint;
import org.ciphersync.core.inventory.InventoryEntry;
import org.ciphersync.core.inventory.NodeInventory;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.plan.ActionType;
import org.ciphersync.core.plan.Plan;
import org.ciphersync.core.plan.PlannedAction;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.link.RelayLink;
import org.ciphersync.session.transfer.FileManifest;
import org.ciphersync.session.transfer.FilePart;
import org.ciphersync.session.transfer.ManifestAssembler;
import org.ciphersync.session.transfer.PartialFile;
import org.ciphersync.session.wire.GroupMessage;
import org.ciphersync.session.wire.WireException;

/**
 * This member's part of one Data Synchronization run (S11), with the plan every member computed alike.
 *
 * <pre>
 * as a source (for each file another member needs from one of my nodes):
 *   check it did not change since the inventory → fingerprint it (core chunker) → MANIFEST pages (for its targets)
 *   wait for the NEED (chunks it lacks) of every target that is online → group chunks by the set of members
 *   that need them → pack them into parts ≤ 16 MiB, zstd when it pays, sealed → upload each part ONCE for
 *   that set → PARTS. A NEED that comes later (a member back from a lost connection, or one that took over
 *   a dead member's part and sent READY) is served on its own, until the run ends for everyone.
 * as a target (on the MANIFEST pages of a file I need, assembled and checked):
 *   open its partial file in my state area (chunks received and verified before a crash count) and index
 *   the chunks I already have (the old version at the target path, files of the same size, my inventory's
 *   fingerprints) → NEED (a bitmap)
 *   on PARTS: write the downloaded chunks into the partial file, each checked against the manifest, and
 *   record them after each part; fill the rest from local chunks (re-hashed); the core Applier copies the
 *   file in place (temp name, hash check, rename, old version to the versions area); deletes, directories
 *   and dates run locally.
 * </pre>
 *
 * One file's failure (source changed, tampered part, member gone) fails only the items that need it, each
 * with its reason. Nothing waits forever: a target gives up on a source that left the session, and on one
 * that says nothing new for twice the patience; a source does not wait for targets that are offline.
 * NEEDs are computed on their own thread so that two members that are each other's source never wait on
 * each other.
 */
final class SyncRun {
    static final ChunkerParams CHUNKER = ChunkerParams.SYNC;
    /** Parts a target fetches at once. */
    static final int FETCHERS = 2;
    /** Files checked and fingerprinted at once before their manifests go out (reading and hashing, on every core). */
    static final int PREPARERS = Math.min(4, Runtime.getRuntime().availableProcessors());
    /** Received files moved into place at once (each move forces its file to disk). */
    static final int PLACE_THREADS = ApplyOptions.DEFAULT_SYNC_THREADS;
    /** Sealed parts a source keeps waiting for the upload thread at most (each ≤ 16 MiB in memory). */
    static final int UPLOADS_AHEAD = 2;
    /** One fingerprinter (and its 1 MiB buffer) per thread, not one per file. */
    private static final ThreadLocal<Fingerprinter> FINGERPRINTERS = ThreadLocal.withInitial(() -> new Fingerprinter(CHUNKER));
    /** One part opener (and its buffer of up to 16 MiB) per fetching thread, not one buffer per part. */
    private static final ThreadLocal<FilePart.Opener> OPENERS = ThreadLocal.withInitial(FilePart.Opener::new);
    /**
     * Largest file a session sends: its parts (≤ 16 MiB each, plus one partly filled part per set of
     * recipients, at most 15 sets) must fit in one PARTS message. 63.75 GiB.
     */
    static final long MAX_FILE_BYTES = (long) (GroupMessage.Parts.MAX_PARTS - 16) * FilePart.PART_SIZE;

    /** What the run needs from its session client. */
    interface Context {
        int self();

        SessionId session();

        RelayLink link();

        long epoch();

        Optional<SecretBytes> keyFor(long epoch);

        void broadcast(GroupMessage m) throws SessionException;

        /** Whether {@code memberId} is listed, online and still in the run: worth waiting for. */
        boolean reachable(int memberId);

        /** Why {@code memberId} will never deliver anything more in this run ("left the session"…), or null. */
        String gone(int memberId);

        /** The letter of a member for messages, e.g. "member B". */
        String describe(int memberId);

        void alert(String message);

        boolean active();

        /** Whether {@code memberId} already reported the end of its part of the run (it will ask for nothing more). */
        boolean finished(int memberId);

        /** Returns the destructive actions the person allows. */
        Set<PlannedAction> approve(List<PlannedAction> destructive);

        /** A file arrived: {@code fetched} bytes downloaded, {@code reused} taken from local or earlier-received chunks. */
        void received(String node, String path, long fetched, long reused);

        /** This member's state area for partial files. */
        Path transfers();
    }

    /** What this member did: counts, every failed item with its reason, and the engine's item results. */
    record Outcome(int succeeded, int failed, List<GroupMessage.ItemFailure> failures, List<ItemResult> results, String problem) {
    }

    private record LocalChunk(Path file, long offset, int length) {
    }

    /** A source file of mine that others need: its fingerprint, or why it cannot be sent. */
    private record Offer(PlannedAction action, Fingerprint fingerprint, String problem) {
    }

    private final Context ctx;
    private final long runId;
    private final Plan plan;
    private final Map<String, Integer> owner;
    private final Map<String, Path> roots;
    private final List<NodeInventory> mine;
    private final Duration patience;
    private final boolean resumed;
    private final int manifestPage;
    private final Map<String, FileManifest> manifests = new ConcurrentHashMap<>();
    private final ManifestAssembler assembler = new ManifestAssembler(CHUNKER.minSize());
    private final Map<String, String> refusedManifests = new ConcurrentHashMap<>();
    private final Map<String, Integer> answeredFor = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, GroupMessage.Need>> needs = new ConcurrentHashMap<>();
    private final Set<String> served = new HashSet<>();
    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final Map<String, GroupMessage.Parts> parts = new ConcurrentHashMap<>();
    private final Set<String> assembled = ConcurrentHashMap.newKeySet();
    private final Map<String, PartialFile> partials = new HashMap<>();
    private final Map<String, List<PlannedAction>> wanted = new LinkedHashMap<>();
    private final AtomicInteger partSeq = new AtomicInteger();
    private final MessageBatch out;
    private final java.util.concurrent.ConcurrentLinkedQueue<LateNeed> lateNeeds = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger needBacklog = new AtomicInteger();
    /**
     * Parts being fetched or fetched, by uploader and part id: each completes with null once downloaded and
     * written into its files, or with why it could not be used. A part is fetched once, as soon as an
     * UPLOADED or PARTS names it.
     */
    private final Map<String, java.util.concurrent.CompletableFuture<String>> consumed = new ConcurrentHashMap<>();
    /**
     * Partial files linked into the staging tree (at most one path each), with the source (node and path)
     * whose staged file shares their inode: only that source's date and mode may be given to the inode.
     */
    private final Map<Path, String> linked = new HashMap<>();
    /** Content bytes downloaded per wanted file. */
    private final Map<String, Long> fetched = new ConcurrentHashMap<>();
    private final ExecutorService needWorker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("session-need").unstarted(r));
    private final ExecutorService server = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("session-serve").unstarted(r));
    /**
     * Fetches parts for this member as a target: two at a time, so one downloads while the other is
     * opened, checked and written.
     */
    private final ExecutorService fetcher = Executors.newFixedThreadPool(FETCHERS, r -> Thread.ofPlatform().daemon().name("session-fetch").unstarted(r));
    /** Seals are uploaded here, in order, while the next part is packed (see {@link Batch}). */
    private final ExecutorService uploader = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("session-upload").unstarted(r));
    private Map<String, LocalChunk> localIndex;
    /** My inventory's fingerprinted files by key, built on first use (see {@link #inventoried}). */
    private volatile Map<String, InventoryEntry> ownEntries;
    /** My files without a fingerprint, by size, not read yet (renames and duplicates among them). */
    private Map<Long, List<Path>> unfingerprinted;

    /**
     * @param resumed this member took the run over from a dead process of its own: items found already
     *                in their final state count as done, and the inventory's fingerprints are not trusted
     *                as local chunks (the old process may have changed files since)
     * @param manifestPage chunks per MANIFEST page this member sends (1..{@link GroupMessage.Manifest#MAX_PAGE})
     */
    SyncRun(Context ctx, long runId, Plan plan, Map<String, Integer> owner, Map<String, Path> roots, List<NodeInventory> mine,
            Duration patience, boolean resumed, int manifestPage) {
        if (manifestPage < 1 || manifestPage > GroupMessage.Manifest.MAX_PAGE) {
            throw new IllegalArgumentException("manifest page " + manifestPage + " is not within 1.." + GroupMessage.Manifest.MAX_PAGE);
        }
        this.manifestPage = manifestPage;
        this.ctx = ctx;
        this.out = new MessageBatch(ctx::broadcast);
        this.runId = runId;
        this.plan = plan;
        this.owner = new ConcurrentHashMap<>(owner);
        this.roots = Map.copyOf(roots);
        this.mine = List.copyOf(mine);
        this.patience = patience;
        this.resumed = resumed;
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

    /** How many of {@code plan}'s actions change a node of {@code memberId}. */
    static int actionsTargeting(Plan plan, Map<String, Integer> owner, int memberId) {
        int n = 0;
        for (PlannedAction a : plan.actions()) {
            Integer o = owner.get(a.targetNode());
            if (o != null && o == memberId) {
                n++;
            }
        }
        return n;
    }

    /** Moves every node of {@code oldMember} to {@code newMember} (a takeover). */
    void takeOver(int oldMember, int newMember) {
        owner.replaceAll((node, m) -> m == oldMember ? newMember : m);
    }

    /** Who owns {@code node} now. */
    Integer ownerOf(String node) {
        return owner.get(node);
    }

    /** Called on the reader thread for run messages; never blocks. */
    void onMessage(int sender, GroupMessage m) {
        switch (m) {
            case GroupMessage.Manifest page -> onManifestPage(sender, page);
            case GroupMessage.Need nd -> {
                String k = key(nd.sourceNode(), nd.path());
                if (isMine(nd.sourceNode())) {
                    boolean late;
                    synchronized (served) {
                        late = served.contains(k);
                        if (!late) {
                            needs.computeIfAbsent(k, x -> new ConcurrentHashMap<>()).put(sender, nd);
                        }
                    }
                    if (late) {
                        lateNeeds.add(new LateNeed(k, sender, nd));
                        submit(server, this::serveLate);
                    }
                }
            }
            case GroupMessage.Parts ps -> {
                if (Integer.valueOf(sender).equals(owner.get(ps.sourceNode())) && ps.answers().contains(ctx.self())) {
                    for (GroupMessage.PartRef ref : ps.parts()) {
                        if (ref.recipients().contains(ctx.self())) {
                            fetch(ref.partId(), ps.epoch(), sender);
                        }
                    }
                    parts.put(key(ps.sourceNode(), ps.path()), ps);
                }
            }
            case GroupMessage.Uploaded u -> {
                if (u.part().recipients().contains(ctx.self()) && owner.containsValue(sender) && sender != ctx.self()) {
                    fetch(u.part().partId(), u.epoch(), sender); // a head start: its files' PARTS come later
                }
            }
            case GroupMessage.Ready r -> submit(server, () -> offerAgain(sender));
            default -> {
            }
        }
    }

    /**
     * A page of the manifest of a file I need, from the member that owns its source node: assembled; a
     * refused sequence fails the file (nothing is asked for it, nothing written) and alerts the person.
     */
    private void onManifestPage(int sender, GroupMessage.Manifest page) {
        String k = key(page.sourceNode(), page.path());
        List<PlannedAction> as = wanted.get(k);
        if (as == null || !Integer.valueOf(sender).equals(owner.get(page.sourceNode())) || !page.targets().contains(ctx.self())
                || refusedManifests.containsKey(k)) {
            return;
        }
        FileManifest mf;
        try {
            mf = assembler.accept(sender, page, as.getFirst().source().size());
        } catch (WireException e) {
            refusedManifests.put(k, e.getMessage());
            ctx.alert("refused the " + e.getMessage() + " from " + ctx.describe(sender));
            return;
        }
        if (mf != null) {
            FileManifest before = manifests.put(k, mf);
            Integer answered = answeredFor.put(k, sender);
            if (answered == null || answered != sender || before == null || !Arrays.equals(before.fileHash(), mf.fileHash())) {
                needBacklog.incrementAndGet();
                submit(needWorker, () -> {
                    try {
                        answer(mf);
                    } finally {
                        if (needBacklog.decrementAndGet() == 0) {
                            flushOut(); // the NEEDs of every manifest that came so far, in as few frames as fit
                        }
                    }
                });
            }
        }
    }

    /**
     * Holds back the NEEDs computed from now on until {@link #releaseNeeds} (the manifests of one bundle):
     * without it the need thread could send the first manifest's NEED alone, before the reader thread
     * routed the next manifest, and the source would ship a part for it alone.
     */
    void holdNeeds() {
        needBacklog.incrementAndGet();
    }

    /** Ends a {@link #holdNeeds}: the NEEDs computed meanwhile go out once the need thread is idle. */
    void releaseNeeds() {
        if (needBacklog.decrementAndGet() == 0) {
            submit(needWorker, this::flushOut);
        }
    }

    /** Runs this member's part: send, receive, apply. On the session's worker thread. */
    Outcome execute() {
        Path staging = null;
        try {
            PartialFile.prune(ctx.transfers(), Duration.ofDays(7));
            send();
            staging = Files.createDirectories(ctx.transfers()).resolve("staging-" + Long.toHexString(runId) + "-" + ctx.self()
                    + "-" + System.nanoTime());
            Files.createDirectories(staging);
            return receiveAndApply(staging);
        } catch (IOException | RuntimeException e) {
            List<GroupMessage.ItemFailure> failures = new ArrayList<>();
            List<ItemResult> results = new ArrayList<>();
            String why = "the synchronization failed on this machine: " + e.getMessage();
            for (PlannedAction a : plan.actions()) {
                if (isMine(a.targetNode())) {
                    failures.add(new GroupMessage.ItemFailure(a.targetNode(), a.targetPath().value(), why));
                    results.add(new ItemResult(a, ItemResult.Outcome.FAILED, why, 0, null, null));
                }
            }
            return new Outcome(0, failures.size(), failures, results, why);
        } finally {
            needWorker.shutdownNow();
            stopFetching();
            closePartials();
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    /** Stops serving late requests (the run is over for everybody, or this member left). */
    void close() {
        server.shutdownNow();
        needWorker.shutdownNow();
        stopFetching();
        for (Runnable never : uploader.shutdownNow()) {
            if (never instanceof java.util.concurrent.Future<?> f) {
                f.cancel(false); // a batch draining its uploads stops waiting for it
            }
        }
    }

    /** Stops the fetching threads; every part not fetched by now fails with "the run is over" (nobody waits forever). */
    private void stopFetching() {
        fetcher.shutdownNow();
        for (java.util.concurrent.CompletableFuture<String> f : consumed.values()) {
            f.complete("this member's part of the run is over");
        }
    }

    // ------------------------------------------------------------------ source side

    /**
     * My files other members need, by key, with the members that need each (owners of the target nodes now);
     * each prepared (checked against the inventory and fingerprinted), on {@link #PREPARERS} threads.
     */
    private Map<String, Set<Integer>> myOffers(Integer onlyFor) {
        Map<String, PlannedAction> sources = new LinkedHashMap<>();
        Map<String, Set<Integer>> targets = myTargets(onlyFor, sources);
        sources.keySet().removeAll(offers.keySet());
        if (sources.size() < 2 * PREPARERS) {
            for (Map.Entry<String, PlannedAction> e : sources.entrySet()) {
                offers.computeIfAbsent(e.getKey(), k -> prepare(e.getValue()));
            }
            return targets;
        }
        ExecutorService preparers = Executors.newFixedThreadPool(PREPARERS, r -> Thread.ofPlatform().daemon().name("session-prepare").unstarted(r));
        try {
            List<Future<Offer>> prepared = new ArrayList<>(sources.size());
            for (Map.Entry<String, PlannedAction> e : sources.entrySet()) {
                prepared.add(preparers.submit(() -> offers.computeIfAbsent(e.getKey(), k -> prepare(e.getValue()))));
            }
            for (Future<Offer> f : prepared) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the files to send", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing the files to send failed: " + e.getCause(), e.getCause());
        } finally {
            preparers.shutdownNow();
        }
        return targets;
    }

    /** My files other members need, by key, with the members that need each; {@code sources} gets the action of each key. */
    private Map<String, Set<Integer>> myTargets(Integer onlyFor, Map<String, PlannedAction> sources) {
        Map<String, Set<Integer>> targets = new LinkedHashMap<>();
        for (PlannedAction a : plan.actions()) {
            Integer t = owner.get(a.targetNode());
            if (needsContent(a) && isMine(a.sourceNode()) && t != null && t != ctx.self() && (onlyFor == null || onlyFor.equals(t))) {
                String k = key(a.sourceNode(), a.source().path().value());
                targets.computeIfAbsent(k, x -> new TreeSet<>()).add(t);
                sources.putIfAbsent(k, a);
            }
        }
        return targets;
    }

    /**
     * Where the content of {@code a}'s source is on my disk. A two-way conflict copy is planned from its
     * conflict name, which exists on my node only once my own apply renamed the losing version there;
     * until then its content is still at the original path.
     */
    private Path sourceFile(PlannedAction a) {
        Path root = roots.get(a.sourceNode());
        Path file = root.resolve(a.source().path().value());
        if (Files.exists(file)) {
            return file;
        }
        for (PlannedAction k : plan.actions()) {
            if (k.type() == ActionType.KEEP_AS_CONFLICT && k.targetNode().equals(a.sourceNode()) && k.targetPath().equals(a.source().path())) {
                return root.resolve(k.source().path().value());
            }
        }
        return file;
    }

    /** Checks the source file did not change since the inventory and fingerprints it. */
    private Offer prepare(PlannedAction a) {
        Path file = sourceFile(a);
        try {
            long size = Files.size(file);
            long mtime = Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS);
            if (size != a.source().size() || mtime != a.source().mtimeNanos()) {
                return new Offer(a, null, a.source().path() + " changed on its source since the inventory; run the inventory again");
            }
            Fingerprint fp = inventoried(a, file, size, mtime);
            if (fp == null) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    fp = FINGERPRINTERS.get().fingerprint(ch);
                }
            }
            if (fp.chunkCount() > GroupMessage.Manifest.MAX_CHUNKS || size > MAX_FILE_BYTES) {
                return new Offer(a, null, a.source().path() + " is larger than the " + (MAX_FILE_BYTES >> 20)
                        + " MiB a session sends per file");
            }
            if (a.source().fingerprint() != null && !Arrays.equals(a.source().fingerprint().fileHash(), fp.fileHash())) {
                return new Offer(a, null, a.source().path() + " changed on its source since the inventory; run the inventory again");
            }
            return new Offer(a, fp, null);
        } catch (IOException e) {
            return new Offer(a, null, a.source().path() + " could not be read on its source: " + e.getMessage());
        }
    }

    /**
     * The fingerprint my own inventory of this run holds for {@code a}'s source, when the file at {@code file}
     * still has the inventoried size and date; null when there is none (smart mode left it out, a conflict
     * copy, a taken-over run) and the file must be read. Reading the file again here would double the
     * source's work for nothing: {@link Batch#pack} re-hashes every chunk it sends (a change while sending
     * is refused), and the target checks the whole-file hash before anything takes the final name, so a
     * change that kept size and date is still never delivered as good content.
     */
    private Fingerprint inventoried(PlannedAction a, Path file, long size, long mtime) {
        if (resumed || !file.equals(roots.get(a.sourceNode()).resolve(a.source().path().value()))) {
            return null;
        }
        Map<String, InventoryEntry> index = ownEntries;
        if (index == null) {
            synchronized (this) {
                if (ownEntries == null) {
                    Map<String, InventoryEntry> m = new HashMap<>();
                    for (NodeInventory n : mine) {
                        for (InventoryEntry e : n.entries()) {
                            if (e.isFile() && e.fingerprint() != null) {
                                m.put(key(n.nodeId(), e.path().value()), e);
                            }
                        }
                    }
                    ownEntries = m;
                }
                index = ownEntries;
            }
        }
        InventoryEntry e = index.get(key(a.sourceNode(), a.source().path().value()));
        if (e == null || e.size() != size || e.mtimeNanos() != mtime) {
            return null;
        }
        Fingerprint planned = a.source().fingerprint();
        return planned == null || Arrays.equals(planned.fileHash(), e.fingerprint().fileHash()) ? e.fingerprint() : null;
    }

    /** Sends the manifest of {@code k} to {@code to}, or tells them why it cannot be sent. */
    private void offer(String k, Set<Integer> to) {
        Offer o = offers.get(k);
        PlannedAction a = o.action();
        if (o.problem() != null) {
            announce(a, 0, List.of(), o.problem(), to);
            return;
        }
        Fingerprint fp = o.fingerprint();
        try {
            FileManifest mf = new FileManifest(a.sourceNode(), a.source().path().value(), fp.fileHash(), fp.chunkLengths(),
                    fp.chunkHashes(), List.copyOf(to));
            List<GroupMessage.Manifest> pages = mf.pages(runId, manifestPage);
            for (GroupMessage.Manifest page : pages) {
                out.add(page);
                if (pages.size() > 1) {
                    out.flush(); // a page of a long chunk list fills a frame of its own
                }
            }
        } catch (SessionException e) {
            // the targets hear nothing more of this file; they give up on it after their patience
        }
    }

    /**
     * Sends the manifests of everything others need from me (bundled), then serves their NEEDs in order,
     * packing the chunks into shared parts ({@link Batch}); what is packed ships before waiting on a
     * NEED that is not here yet, so targets are never kept waiting for a batch.
     */
    private void send() {
        Map<String, Set<Integer>> targets = myOffers(null);
        for (Map.Entry<String, Set<Integer>> e : targets.entrySet()) {
            offer(e.getKey(), e.getValue());
        }
        flushOut();
        Batch batch = new Batch();
        try {
            for (Map.Entry<String, Set<Integer>> e : targets.entrySet()) {
                if (offers.get(e.getKey()).problem() != null) {
                    markServed(e.getKey()); // its problem went out with the manifests
                    continue;
                }
                long start = System.nanoTime();
                long deadline = start + patience.toNanos();
                while (ctx.active() && System.nanoTime() < deadline) {
                    Map<Integer, GroupMessage.Need> now = needs.getOrDefault(e.getKey(), Map.of());
                    if (e.getValue().stream().allMatch(t -> now.containsKey(t) || !ctx.reachable(t) || ctx.finished(t))) {
                        break;
                    }
                    if (!batch.isEmpty() && (batch.bytes() >= Batch.SHIP_WHEN_WAITING || System.nanoTime() - start > 20_000_000L)) {
                        batch.ship();
                    }
                    sleep(2);
                }
                batch.add(e.getKey(), markServed(e.getKey()));
                batch.announceUploaded();
            }
        } finally {
            batch.ship();
        }
    }

    /** From now on NEEDs for {@code k} are served as they come; returns those that came so far. */
    private Map<Integer, GroupMessage.Need> markServed(String k) {
        synchronized (served) {
            served.add(k);
            Map<Integer, GroupMessage.Need> got = needs.remove(k);
            return got == null ? Map.of() : new TreeMap<>(got);
        }
    }

    /** A NEED that came after its file was served (on the serving thread). */
    private record LateNeed(String key, int sender, GroupMessage.Need need) {
    }

    /** On the serving thread: every late NEED queued so far, in one batch. */
    private void serveLate() {
        Map<String, Map<Integer, GroupMessage.Need>> got = new LinkedHashMap<>();
        for (LateNeed l; (l = lateNeeds.poll()) != null; ) {
            got.computeIfAbsent(l.key(), x -> new TreeMap<>()).put(l.sender(), l.need());
        }
        if (got.isEmpty()) {
            return;
        }
        Batch batch = new Batch();
        try {
            for (Map.Entry<String, Map<Integer, GroupMessage.Need>> e : got.entrySet()) {
                batch.add(e.getKey(), e.getValue());
                batch.announceUploaded();
            }
        } finally {
            batch.ship();
        }
    }

    /** On the server thread: a member that took over a run asks for the manifests of what it needs from me. */
    private void offerAgain(int member) {
        for (Map.Entry<String, Set<Integer>> e : myOffers(member).entrySet()) {
            offer(e.getKey(), Set.of(member));
        }
        flushOut();
    }

    /**
     * Files being served together. The chunks their targets lack go into one open part per set of
     * members that lack them ({@link FilePart.Builder}; a tree of small files shares a few parts); a full
     * part is sealed and uploaded ONCE for that set at once, and the files whose chunks are all uploaded
     * are announced (PARTS, with the parts that carry their chunks, or why they cannot be sent) while the
     * next part fills; {@link #ship} uploads the open parts and announces the rest. A failed upload is tried again (three times in all) without the members that left
     * meanwhile (the relay refuses parts addressed to them). Used by one thread at a time.
     */
    private final class Batch {
        /** Bytes in the open parts after which a batch ships rather than wait for a NEED. */
        static final long SHIP_WHEN_WAITING = 1 << 20;

        /** One file of the batch. */
        private static final class Pending {
            final PlannedAction action;
            final Set<Integer> to;
            /** Added to by the upload thread. */
            final List<GroupMessage.PartRef> refs = java.util.Collections.synchronizedList(new ArrayList<>());
            volatile String problem;

            Pending(PlannedAction action, Set<Integer> to) {
                this.action = action;
                this.to = to;
            }
        }

        private final Map<List<Integer>, FilePart.Builder> open = new LinkedHashMap<>();
        private final Map<List<Integer>, Set<String>> inOpen = new HashMap<>();
        private final Map<String, Pending> files = new LinkedHashMap<>();
        private final byte[] buf = new byte[CHUNKER.maxSize()];
        private final MessageDigest sha = sha256();
        private final java.util.concurrent.Semaphore ahead = new java.util.concurrent.Semaphore(UPLOADS_AHEAD);
        private final List<java.util.concurrent.Future<?>> inFlight = new ArrayList<>();
        private long epoch = -1;
        private SecretBytes key;
        private volatile boolean uploaded;

        boolean isEmpty() {
            return files.isEmpty();
        }

        /** Bytes in the open parts. */
        long bytes() {
            long n = 0;
            for (FilePart.Builder b : open.values()) {
                n += b.isEmpty() ? 0 : b.size();
            }
            return n;
        }

        /** Packs what the members in {@code got} lack of file {@code k} (members that left are skipped). */
        void add(String k, Map<Integer, GroupMessage.Need> got) {
            Offer o = offers.get(k);
            Map<Integer, GroupMessage.Need> live = new TreeMap<>(got);
            live.keySet().removeIf(t -> ctx.gone(t) != null);
            if (o == null || live.isEmpty()) {
                return;
            }
            Pending p = files.get(k);
            if (p != null) { // a second late NEED for a file of this batch: ship the first answer, then this one
                ship();
            }
            p = new Pending(o.action(), new TreeSet<>(live.keySet()));
            files.put(k, p);
            if (o.problem() != null) {
                p.problem = o.problem();
                return;
            }
            try {
                if (key == null) {
                    epoch = ctx.epoch();
                    key = ctx.keyFor(epoch).orElseThrow(() -> new IOException("the group key changed twice while sending; try again"));
                }
                pack(k, p, o.fingerprint(), live);
            } catch (IOException | RuntimeException x) {
                p.problem = o.action().source().path() + " could not be sent: " + x.getMessage();
            }
        }

        /** Reads the lacking chunks (re-hashing each: a file changing during the send is refused) into the open parts. */
        private void pack(String k, Pending p, Fingerprint fp, Map<Integer, GroupMessage.Need> live) throws IOException {
            Map<List<Integer>, List<Integer>> byRecipients = new LinkedHashMap<>();
            for (int i = 0; i < fp.chunkCount(); i++) {
                List<Integer> who = new ArrayList<>();
                for (Map.Entry<Integer, GroupMessage.Need> n : live.entrySet()) {
                    if (n.getValue().chunkCount() == fp.chunkCount() && n.getValue().needs(i)) {
                        who.add(n.getKey());
                    }
                }
                if (!who.isEmpty()) {
                    byRecipients.computeIfAbsent(who, x -> new ArrayList<>()).add(i);
                }
            }
            if (byRecipients.isEmpty()) {
                return;
            }
            int[] lengths = fp.chunkLengths();
            long[] offsets = new long[lengths.length];
            for (int i = 1; i < offsets.length; i++) {
                offsets[i] = offsets[i - 1] + lengths[i - 1];
            }
            PlannedAction a = p.action;
            FilePart.FileRef ref = new FilePart.FileRef(a.sourceNode(), a.source().path().value());
            try (FileChannel in = FileChannel.open(sourceFile(a), StandardOpenOption.READ)) {
                for (Map.Entry<List<Integer>, List<Integer>> g : byRecipients.entrySet()) {
                    FilePart.Builder b = open.computeIfAbsent(g.getKey(), x -> new FilePart.Builder());
                    for (int idx : g.getValue()) {
                        int len = lengths[idx];
                        java.nio.ByteBuffer into = java.nio.ByteBuffer.wrap(buf, 0, len);
                        for (long at = offsets[idx]; into.hasRemaining(); ) {
                            int n = in.read(into, at);
                            if (n < 0) {
                                throw new IOException(a.source().path() + " changed while it was being sent");
                            }
                            at += n;
                        }
                        sha.update(buf, 0, len);
                        if (!Arrays.equals(sha.digest(), fp.chunkHash(idx))) {
                            throw new IOException(a.source().path() + " changed while it was being sent");
                        }
                        if (!b.fits(ref, len)) {
                            upload(g.getKey(), b);
                        }
                        b.add(ref, idx, buf, 0, len);
                        inOpen.computeIfAbsent(g.getKey(), x -> new java.util.LinkedHashSet<>()).add(k);
                    }
                }
            }
            if (p.refs.size() > GroupMessage.Parts.MAX_PARTS - open.size()) {
                throw new IOException(a.source().path() + " needs more than " + GroupMessage.Parts.MAX_PARTS + " parts");
            }
        }

        /**
         * Seals the open part of {@code who} and hands it to the upload thread (waiting while
         * {@link #UPLOADS_AHEAD} parts are queued there), so the next part is read and sealed while this one
         * goes up; every file in it learns the part's id, or fails, once the upload is over.
         */
        private void upload(List<Integer> who, FilePart.Builder b) {
            Set<String> in = inOpen.remove(who);
            if (b.isEmpty() || in == null) {
                return;
            }
            String id = "p" + Long.toHexString(runId) + "-" + ctx.self() + "-" + partSeq.getAndIncrement();
            byte[] sealed = b.sealAndReset(ctx.session(), key, epoch, runId, id);
            List<Pending> carried = in.stream().map(files::get).toList();
            long sealedUnder = epoch;
            try {
                while (!ahead.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (uploader.isShutdown()) {
                        fail(carried, "this member's part of the run is over");
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(carried, "interrupted");
                return;
            }
            try {
                inFlight.add(uploader.submit(() -> {
                    try {
                        put(id, sealed, who, sealedUnder, carried);
                    } finally {
                        ahead.release();
                    }
                }));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                ahead.release();
                fail(carried, "this member's part of the run is over");
            }
        }

        /**
         * On the upload thread: uploads part {@code id} ONCE for the members of {@code who} still in the
         * session and tells them at once (UPLOADED), so they fetch it while the next parts go up. A failed
         * upload is tried again (three times in all) without the members that left meanwhile; a relay whose
         * session quota is full (HTTP 507) is waited for as long as its recipients may fetch parts.
         */
        private void put(String id, byte[] sealed, List<Integer> who, long sealedUnder, List<Pending> carried) {
            long quotaDeadline = System.nanoTime() + 2 * patience.toNanos();
            for (int attempt = 0; ; ) {
                List<Integer> live = who.stream().filter(t -> ctx.gone(t) == null).toList();
                if (live.isEmpty()) {
                    return; // nobody left to read it
                }
                try {
                    ctx.link().uploadPart(id, sealed, live);
                    GroupMessage.PartRef ref = new GroupMessage.PartRef(id, live);
                    for (Pending p : carried) {
                        p.refs.add(ref);
                    }
                    uploaded = true;
                    try {
                        out.add(new GroupMessage.Uploaded(runId, sealedUnder, ref));
                    } catch (SessionException e) {
                        // only a head start: the PARTS of its files name it again
                    }
                    flushOut();
                    return;
                } catch (IOException | RuntimeException x) {
                    boolean quota = x instanceof org.ciphersync.relay.protocol.client.RelayException re && re.status() == 507;
                    if (quota && ctx.active() && System.nanoTime() < quotaDeadline) {
                        sleep(100); // recipients are fetching earlier parts; the relay frees their room
                        continue;
                    }
                    attempt++;
                    if (attempt == 3 || !InventoryExchange.pause() || !ctx.active()) {
                        fail(carried, x.getMessage());
                        return;
                    }
                }
            }
        }

        private void fail(List<Pending> carried, String why) {
            for (Pending p : carried) {
                synchronized (p) {
                    if (p.problem == null) {
                        p.problem = p.action.source().path() + " could not be sent: " + why;
                    }
                }
            }
        }

        /** Waits until every part handed to the upload thread is up (or failed). */
        private void drain() {
            for (java.util.concurrent.Future<?> f : inFlight) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException e) {
                    // its files were failed by the task itself
                } catch (java.util.concurrent.CancellationException e) {
                    // the run is over
                }
            }
            inFlight.clear();
        }

        /** After a part went up: announces the files none of whose chunks wait in an open part. */
        void announceUploaded() {
            if (!uploaded) {
                return;
            }
            uploaded = false;
            announce(false);
        }

        /** Uploads the open parts and announces every file of the batch; the batch is empty afterwards. */
        void ship() {
            for (Map.Entry<List<Integer>, FilePart.Builder> e : open.entrySet()) {
                upload(e.getKey(), e.getValue());
            }
            drain();
            uploaded = false;
            announce(true);
        }

        private void announce(boolean all) {
            drain(); // a file is announced once the parts that carry its chunks are up
            for (java.util.Iterator<Map.Entry<String, Pending>> it = files.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Pending> e = it.next();
                if (!all && inOpen.values().stream().anyMatch(in -> in.contains(e.getKey()))) {
                    continue; // some of its chunks are still in an open part
                }
                Pending p = e.getValue();
                boolean ok = p.problem == null;
                SyncRun.this.announce(p.action, ok ? epoch : 0, ok ? p.refs : List.of(), ok ? "" : p.problem, p.to);
                it.remove();
            }
            flushOut();
            if (files.isEmpty() && key != null) {
                inOpen.clear();
                key.close();
                key = null;
            }
        }
    }

    /** Tells {@code to} where the parts are ({@code epoch}: the key epoch they are sealed under), or why there are none. */
    private void announce(PlannedAction a, long epoch, List<GroupMessage.PartRef> refs, String problem, Set<Integer> to) {
        try {
            out.add(new GroupMessage.Parts(runId, epoch, a.sourceNode(), a.source().path().value(), refs, problem, List.copyOf(to)));
        } catch (SessionException e) {
            // the targets give up on this file after their patience; its items fail
        }
    }

    /** Sends the bundled run messages queued so far. */
    private void flushOut() {
        try {
            out.flush();
        } catch (SessionException e) {
            // the other members give up on what it carried after their patience
        }
    }

    // ------------------------------------------------------------------ target side

    /** On the need thread: which chunks of {@code mf} this member lacks. */
    private void answer(FileManifest mf) {
        try {
            int n = mf.chunkCount();
            byte[] bitmap = new byte[(n + 7) / 8];
            String k = key(mf.sourceNode(), mf.path());
            if (!assembled.contains(k)) {
                Map<String, LocalChunk> index = localIndex(mf);
                // an earlier, interrupted transfer of this content (a file is only created once chunks arrive)
                PartialFile pf = PartialFile.exists(ctx.transfers(), mf.fileHash()) ? partial(mf) : null;
                byte[] hashes = mf.hashes();
                for (int i = 0; i < n; i++) {
                    if ((pf == null || !pf.has(i)) && !index.containsKey(hex(hashes, i))) {
                        bitmap[i >>> 3] |= (byte) (1 << (i & 7));
                    }
                }
                if (pf != null) {
                    pf.suspend();
                }
            }
            out.add(new GroupMessage.Need(runId, mf.sourceNode(), mf.path(), n, bitmap));
        } catch (SessionException | IOException | RuntimeException e) {
            // the source sends nothing for us: the item fails when our patience ends
        }
    }

    /** The partial file of {@code mf}'s content (shared by every path with that content). */
    private PartialFile partial(FileManifest mf) throws IOException {
        String name = java.util.HexFormat.of().formatHex(mf.fileHash());
        synchronized (partials) {
            PartialFile pf = partials.get(name);
            if (pf == null) {
                pf = PartialFile.open(ctx.transfers(), mf.fileHash(), mf.lengths(), mf.hashes());
                if (pf.discardedChunks() > 0) {
                    ctx.alert(pf.discardedChunks() + " chunk(s) of " + mf.path() + " kept from an interrupted transfer no longer matched "
                            + "their hash (damaged or tampered with on this machine, or lost in a power cut); they are fetched again");
                }
                partials.put(name, pf);
            }
            return pf;
        }
    }

    private void closePartials() {
        synchronized (partials) {
            for (PartialFile pf : partials.values()) {
                try {
                    pf.close();
                } catch (IOException e) {
                    // the next run re-checks it anyway
                }
            }
        }
    }

    /**
     * Chunks this member already has: its inventory's fingerprints (not after a takeover), plus fresh
     * fingerprints of the old versions at the target paths and of its files with the size of a wanted file
     * (renames, duplicates).
     */
    private synchronized Map<String, LocalChunk> localIndex(FileManifest trigger) {
        if (localIndex == null) {
            localIndex = new HashMap<>();
            for (NodeInventory n : mine) {
                Path root = roots.get(n.nodeId());
                for (InventoryEntry e : n.entries()) {
                    if (e.isFile() && e.fingerprint() != null) {
                        if (resumed) {
                            fingerprintInto(root.resolve(e.path().value()));
                        } else {
                            addChunks(root.resolve(e.path().value()), e.fingerprint());
                        }
                    }
                }
            }
            for (List<PlannedAction> as : wanted.values()) {
                for (PlannedAction a : as) {
                    if (a.expectedTarget() != null && a.expectedTarget().isFile() && (a.expectedTarget().fingerprint() == null || resumed)) {
                        fingerprintInto(roots.get(a.targetNode()).resolve(a.targetPath().value()));
                    }
                }
            }
        }
        if (unfingerprinted == null) {
            unfingerprinted = new HashMap<>();
            for (NodeInventory n : mine) {
                for (InventoryEntry e : n.entries()) {
                    if (e.isFile() && (e.fingerprint() == null || resumed)) {
                        unfingerprinted.computeIfAbsent(e.size(), x -> new ArrayList<>()).add(roots.get(n.nodeId()).resolve(e.path().value()));
                    }
                }
            }
        }
        // up to 8 more files of the wanted size per manifest (each fingerprinted once per run)
        List<Path> same = unfingerprinted.getOrDefault(trigger.size(), List.of());
        for (int looked = 0; looked < 8 && !same.isEmpty(); looked++) {
            fingerprintInto(same.removeLast());
        }
        return localIndex;
    }

    private void fingerprintInto(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            addChunks(file, FINGERPRINTERS.get().fingerprint(ch));
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

    /** Waits for the manifest and parts of {@code k}; returns why they will not come, or null when they are here. */
    private String await(String k, PlannedAction a) {
        long deadline = System.nanoTime() + 2 * patience.toNanos();
        Integer lastOwner = owner.get(a.sourceNode());
        FileManifest lastManifest = null;
        while (true) {
            String refused = refusedManifests.get(k);
            if (refused != null) {
                return "not received: refused the " + refused;
            }
            GroupMessage.Parts ps = parts.get(k);
            FileManifest mf = manifests.get(k);
            Integer src = owner.get(a.sourceNode());
            if (ps != null && !ps.unavailable().isEmpty()) {
                return ctx.describe(src) + " could not send it: " + ps.unavailable();
            }
            if (ps != null && mf != null) {
                return null;
            }
            String partly = ps == null ? null : assembler.progress(a.sourceNode(), a.source().path().value());
            if (partly != null) {
                ctx.alert("refused the manifest of " + a.source().path() + " from " + ctx.describe(src) + ": it ended after " + partly);
                return "not received: the manifest of " + a.source().path() + " ended after " + partly;
            }
            if (!java.util.Objects.equals(src, lastOwner) || mf != lastManifest) {
                lastOwner = src;
                lastManifest = mf;
                deadline = System.nanoTime() + 2 * patience.toNanos(); // progress: a new owner or a manifest
            }
            String gone = src == null ? "is not in the session" : ctx.gone(src);
            if (gone != null) {
                return "not received: " + ctx.describe(src == null ? -1 : src) + " " + gone + " before sending it";
            }
            if (!ctx.active()) {
                return "not received: this member left the session";
            }
            if (System.nanoTime() > deadline) {
                return "not received: no answer from " + ctx.describe(src) + " within " + 2 * patience.toSeconds() + " s";
            }
            sleep(10);
        }
    }

    private Outcome receiveAndApply(Path staging) throws IOException {
        Map<String, String> failedKeys = new LinkedHashMap<>();
        for (Map.Entry<String, List<PlannedAction>> w : wanted.entrySet()) {
            PlannedAction a = w.getValue().getFirst();
            String why = await(w.getKey(), a);
            if (why == null) {
                try {
                    assemble(staging, a, manifests.get(w.getKey()), parts.get(w.getKey()));
                    assembled.add(w.getKey());
                } catch (IOException | WireException e) {
                    if (e instanceof WireException) {
                        ctx.alert("refused the content of " + a.source().path() + ": " + e.getMessage());
                    }
                    why = "not received intact: " + e.getMessage();
                }
            }
            if (why != null) {
                failedKeys.put(w.getKey(), why);
            }
        }
        if (!ctx.active()) {
            throw new IllegalStateException("this member left the session before applying its part");
        }
        List<PlannedAction> runnable = new ArrayList<>();
        List<ItemResult> results = new ArrayList<>();
        for (PlannedAction a : plan.actions()) {
            if (!isMine(a.targetNode())) {
                continue;
            }
            String why = needsContent(a) && !isMine(a.sourceNode()) ? failedKeys.get(key(a.sourceNode(), a.source().path().value())) : null;
            if (why != null) {
                results.add(new ItemResult(a, ItemResult.Outcome.FAILED, why, 0, null, null));
            } else {
                runnable.add(a);
            }
        }
        Map<String, FileTree> trees = new HashMap<>();
        for (String node : plan.nodeIds()) {
            Path root = isMine(node) ? roots.get(node) : Files.createDirectories(staging.resolve(node));
            trees.put(node, new LocalFileTree(root));
        }
        if (resumed) {
            for (PlannedAction a : List.copyOf(runnable)) {
                Optional<ItemResult> done = alreadyDone(a, trees.get(a.targetNode()));
                if (done.isPresent()) {
                    runnable.remove(a);
                    results.add(done.get());
                }
            }
        }
        List<PlannedAction> destructive = runnable.stream().filter(SyncRun::destructive).toList();
        if (!destructive.isEmpty()) {
            Set<PlannedAction> allowed = ctx.approve(destructive);
            for (PlannedAction a : destructive) {
                if (!allowed.contains(a)) {
                    runnable.remove(a);
                    results.add(new ItemResult(a, ItemResult.Outcome.FAILED, "declined on this machine", 0, null, null));
                }
            }
        }
        Placed placed = placeDirectly(runnable, trees, results);
        ApplyReport report = Applier.apply(new Plan(plan.nodeIds(), runnable, List.of(), List.of()), trees,
                // no read-back: the staged content was checked against the manifest, and the engine hashes what it writes
                new ApplyOptions(ApplyOptions.defaults().threads(), CHUNKER, 0, ApplyOptions.defaults().clock()), new ApplyListener() { });
        results.addAll(report.results());
        placed.finish(trees, results);
        int ok = 0;
        List<GroupMessage.ItemFailure> failures = new ArrayList<>();
        Set<String> keepPartials = new HashSet<>();
        for (ItemResult r : results) {
            if (r.ok()) {
                ok++;
            } else {
                failures.add(new GroupMessage.ItemFailure(r.action().targetNode(), r.action().targetPath().value(), r.message()));
                FileManifest mf = needsContent(r.action()) ? manifests.get(key(r.action().sourceNode(), r.action().source().path().value()))
                        : null;
                if (mf != null) {
                    keepPartials.add(java.util.HexFormat.of().formatHex(mf.fileHash()));
                }
            }
        }
        synchronized (partials) {
            for (Map.Entry<String, PartialFile> e : partials.entrySet()) {
                if (!keepPartials.contains(e.getKey()) && e.getValue().complete()) {
                    try {
                        e.getValue().delete(); // in place now: nothing left to resume
                    } catch (IOException x) {
                        // pruned after a week
                    }
                }
            }
        }
        return new Outcome(ok, failures.size(), failures, results, null);
    }

    /**
     * New files (nothing at their target path in the inventory) whose content is complete in its partial
     * file are moved into place here instead of being copied once more by the engine: every chunk of the
     * partial file was checked against the manifest and the manifest against its file hash, so the engine's
     * copy would only read, hash and write the same bytes again. {@link PartialFile#moveTo} forces the file to
     * disk with the source's date and mode and links it at the target name (never replacing anything that
     * appeared there); the moves run concurrently, so their disk flushes share the file system's journal
     * commits. A missing parent folder is created here when the plan creates it (a first synchronization into
     * an empty folder): this then carries out that folder's action too, and {@link Placed#finish} gives the
     * folder its date once the engine is done writing into it. Everything else goes through the engine: a
     * parent that the plan does not create or that leads through a link, a state area on another file system,
     * the other paths of the same content (the staged copy of one of them shares the partial file's inode,
     * and the move gives that inode its date). Removes the actions carried out from {@code runnable} and adds
     * the files' results.
     */
    private Placed placeDirectly(List<PlannedAction> runnable, Map<String, FileTree> trees, List<ItemResult> results) {
        record Placement(PlannedAction action, PartialFile file, Path target, FileManifest manifest) { }
        Placed placed = new Placed();
        Map<String, Map<RelPath, PlannedAction>> plannedDirs = new HashMap<>();
        for (PlannedAction a : runnable) {
            if (a.type() == ActionType.CREATE_DIRECTORY && a.expectedTarget() == null && isMine(a.targetNode())) {
                plannedDirs.computeIfAbsent(a.targetNode(), x -> new HashMap<>()).put(a.targetPath(), a);
            }
        }
        Set<PartialFile> chosen = new HashSet<>();
        Set<String> verified = new HashSet<>(); // node + "/" + folder: a real folder inside its root
        List<Placement> placements = new ArrayList<>();
        for (PlannedAction a : runnable) {
            if (a.type() != ActionType.COPY || a.expectedTarget() != null || !needsContent(a) || isMine(a.sourceNode())) {
                continue;
            }
            FileManifest mf = manifests.get(key(a.sourceNode(), a.source().path().value()));
            PartialFile pf;
            synchronized (partials) {
                pf = mf == null ? null : partials.get(java.util.HexFormat.of().formatHex(mf.fileHash()));
            }
            Path root = roots.get(a.targetNode());
            String linkedSource;
            synchronized (linked) {
                linkedSource = pf == null ? null : linked.get(pf.file());
            }
            // only the source whose staged file is this inode: another one (a duplicate) has its own date
            if (pf == null || chosen.contains(pf) || !pf.complete() || root == null
                    || !key(a.sourceNode(), a.source().path().value()).equals(linkedSource)) {
                continue;
            }
            try {
                RelPath parent = a.targetPath().parent();
                if (parent == null || !folderFor(a.targetNode(), root, parent, plannedDirs, verified, placed)) {
                    continue;
                }
                placements.add(new Placement(a, pf, root.resolve(a.targetPath().value()), mf));
                chosen.add(pf);
            } catch (IOException | RuntimeException e) {
                // the engine copies it from the staging tree (and reports a target that appeared meanwhile)
            }
        }
        Set<PlannedAction> made = Collections.newSetFromMap(new IdentityHashMap<>());
        made.addAll(placed.folders);
        runnable.removeIf(made::contains);
        if (placements.isEmpty()) {
            return placed;
        }
        ExecutorService movers = Executors.newFixedThreadPool(Math.min(PLACE_THREADS, placements.size()),
                r -> Thread.ofPlatform().daemon().name("session-place").unstarted(r));
        List<Future<ItemResult>> moved = new ArrayList<>(placements.size());
        try {
            for (Placement p : placements) {
                moved.add(movers.submit(() -> {
                    PlannedAction a = p.action();
                    try {
                        p.file().moveTo(p.target(), a.source().mtimeNanos(), a.source().posixMode());
                    } catch (IOException | RuntimeException e) {
                        return null; // left to the engine's copy from the staging tree
                    }
                    FileAttrs after;
                    try {
                        after = trees.get(a.targetNode()).stat(a.targetPath()).orElse(null);
                    } catch (IOException e) {
                        after = null;
                    }
                    return new ItemResult(a, ItemResult.Outcome.DONE, "", a.source().size(), after,
                            java.util.HexFormat.of().formatHex(p.manifest().fileHash()));
                }));
            }
            Set<PlannedAction> done = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<ItemResult> f : moved) {
                ItemResult r = f.get();
                if (r != null) {
                    done.add(r.action());
                    results.add(r);
                    placed.touched.add(targetFile(r.action()).getParent());
                }
            }
            runnable.removeIf(done::contains);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while moving received files into place", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("moving received files into place failed", e.getCause());
        } finally {
            movers.shutdownNow();
        }
        return placed;
    }

    private Path targetFile(PlannedAction a) {
        return roots.get(a.targetNode()).resolve(a.targetPath().value());
    }

    /**
     * Whether {@code folder} of node {@code node} is a real folder inside {@code root} (no link on the way),
     * creating it, and its missing parents, where the plan creates them (their actions are then carried out
     * here and recorded in {@code placed}).
     */
    private static boolean folderFor(String node, Path root, RelPath folder, Map<String, Map<RelPath, PlannedAction>> plannedDirs,
                                     Set<String> verified, Placed placed) throws IOException {
        String k = node + "/" + folder.value();
        if (verified.contains(k)) {
            return true;
        }
        Path dir = root.resolve(folder.value());
        if (folder.isRoot()) {
            if (!Files.isDirectory(dir)) {
                return false;
            }
        } else if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!dir.toRealPath().equals(root.toRealPath().resolve(folder.value()))) {
                return false; // a link on the way leads elsewhere
            }
        } else {
            PlannedAction make = plannedDirs.getOrDefault(node, Map.of()).get(folder);
            if (make == null || Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
                    || !folderFor(node, root, folder.parent(), plannedDirs, verified, placed)) {
                return false;
            }
            Files.createDirectory(dir); // fails if anything appeared there meanwhile
            placed.folders.add(make);
            placed.touched.add(dir.getParent());
            if (make.source() != null && make.source().posixMode() >= 0) {
                PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                if (view != null) { // its own mode once filled (Placed.finish): it may forbid writing into it
                    view.setPermissions(PosixMode.permissions(PosixMode.whileFilling(make.source().posixMode())));
                }
            }
        }
        verified.add(k);
        return true;
    }

    /** What {@link #placeDirectly} did: the folder creations it carried out and the folders it wrote into. */
    private static final class Placed {
        final List<PlannedAction> folders = new ArrayList<>();
        final Set<Path> touched = new HashSet<>();

        /**
         * After the engine ran the rest of the plan: the created folders get their dates and modes
         * (deepest first: writing into a folder changes its date, and its mode may forbid writing into
         * it) and their results, and every folder written into is forced to disk (the new names in it),
         * concurrently, as the engine finishes the folders it creates ({@link Applier#finishCreatedFolder}).
         */
        void finish(Map<String, FileTree> trees, List<ItemResult> results) {
            List<PlannedAction> deepestFirst = new ArrayList<>(folders);
            deepestFirst.sort(Comparator.comparingInt((PlannedAction a) -> a.targetPath().depth()).reversed());
            for (PlannedAction a : deepestFirst) {
                results.add(Applier.finishCreatedFolder(trees.get(a.targetNode()), a));
            }
            if (touched.isEmpty()) {
                return;
            }
            ExecutorService syncers = Executors.newFixedThreadPool(Math.min(PLACE_THREADS, touched.size()),
                    r -> Thread.ofPlatform().daemon().name("session-place").unstarted(r));
            try {
                List<Future<?>> synced = new ArrayList<>();
                for (Path dir : touched) {
                    synced.add(syncers.submit(() -> {
                        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                            ch.force(true);
                        } catch (IOException e) {
                            // some file systems refuse to flush a folder; the files in it are on disk
                        }
                    }));
                }
                for (Future<?> f : synced) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // reported by nobody: the files and their dates are in place
            } finally {
                syncers.shutdownNow();
            }
        }
    }

    /**
     * After a takeover: whether the dead process already carried out {@code a} (its target is in the
     * final state), as the result the engine would have reported.
     */
    private Optional<ItemResult> alreadyDone(PlannedAction a, FileTree tree) {
        try {
            Optional<FileAttrs> now = tree.stat(a.targetPath());
            boolean done = switch (a.type()) {
                case DELETE -> now.isEmpty();
                case CREATE_DIRECTORY -> now.isPresent() && now.get().isDirectory();
                case COPY, COPY_CONTENT -> now.isPresent() && (a.source().isDirectory() ? now.get().isDirectory()
                        : now.get().isFile() && now.get().size() == a.source().size()
                        && (a.type() == ActionType.COPY_CONTENT || now.get().mtimeNanos() == a.source().mtimeNanos())
                        && (a.expectedTarget() == null || !matchesExpected(now.get(), a.expectedTarget())));
                case COPY_DATES -> now.isPresent() && now.get().mtimeNanos() == a.source().mtimeNanos()
                        && (a.expectedTarget() == null || now.get().mtimeNanos() != a.expectedTarget().mtimeNanos());
                default -> false;
            };
            if (!done) {
                return Optional.empty();
            }
            String hash = a.source() != null && a.source().fingerprint() != null && now.isPresent() && now.get().isFile()
                    ? a.source().fingerprint().fileHashHex() : null;
            return Optional.of(new ItemResult(a, ItemResult.Outcome.DONE, "", 0, now.orElse(null), hash));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean matchesExpected(FileAttrs now, InventoryEntry expected) {
        return now.type() == expected.type() && now.size() == expected.size() && now.mtimeNanos() == expected.mtimeNanos();
    }

    /** Writes the file into its partial file (local chunks and received ones, every hash checked) and stages it. */
    private void assemble(Path staging, PlannedAction a, FileManifest mf, GroupMessage.Parts ps) throws IOException, WireException {
        Path nodeDir = staging.resolve(a.sourceNode());
        Path dest = nodeDir.resolve(a.source().path().value()).normalize();
        if (!dest.startsWith(nodeDir)) {
            throw new WireException("path " + a.source().path() + " escapes the staging folder");
        }
        int[] lengths = mf.lengths(); // size and file hash checked when its pages were assembled
        byte[] hashes = mf.hashes();
        if (a.source().fingerprint() != null && !Arrays.equals(a.source().fingerprint().fileHash(), mf.fileHash())) {
            throw new WireException("the manifest of " + a.source().path() + " does not match its file hash");
        }
        Integer src = owner.get(a.sourceNode());
        for (GroupMessage.PartRef ref : ps.parts()) {
            if (ref.recipients().contains(ctx.self())) {
                awaitPart(ref.partId(), ps.epoch(), src == null ? -1 : src);
            }
        }
        PartialFile pf = partial(mf);
        long reused = pf.resumedBytes();
        MessageDigest sha = sha256();
        Map<String, LocalChunk> index = localIndex(mf);
        byte[] buf = new byte[0];
        List<Integer> local = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            if (pf.has(i)) {
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
            if (!Arrays.equals(sha.digest(), 0, 32, hashes, i * 32, i * 32 + 32)) {
                throw new IOException("a local copy of chunk " + i + " of " + a.source().path() + " changed; run the inventory again");
            }
            pf.write(i, buf, 0, lc.length());
            local.add(i);
            reused += lc.length();
        }
        pf.commit(local);
        Files.createDirectories(dest.getParent());
        Files.deleteIfExists(dest);
        // the first path of this content shares the partial file's inode; another path with the same
        // content (a duplicate, every empty file) gets its own copy: a link would share its date too
        String source = key(a.sourceNode(), a.source().path().value());
        boolean first;
        synchronized (linked) {
            first = linked.putIfAbsent(pf.file(), source) == null;
        }
        try {
            if (!first) {
                throw new UnsupportedOperationException("already linked");
            }
            Files.createLink(dest, pf.file());
        } catch (IOException | UnsupportedOperationException e) {
            if (first) {
                synchronized (linked) {
                    linked.put(pf.file(), ""); // not linked: no staged path shares the inode
                }
            }
            Files.copy(pf.file(), dest);
        }
        Files.setLastModifiedTime(dest, FileTime.from(a.source().mtimeNanos(), TimeUnit.NANOSECONDS));
        pf.suspend();
        ctx.received(a.sourceNode(), a.source().path().value(), fetched.getOrDefault(key(a.sourceNode(), a.source().path().value()), 0L),
                reused);
    }

    /**
     * Fetches part {@code partId} of {@code sender} once (many files share it), on the fetching threads;
     * the future completes with null when the part was written into its files, or with why it could not be
     * used.
     */
    private java.util.concurrent.CompletableFuture<String> fetch(String partId, long epoch, int sender) {
        java.util.concurrent.CompletableFuture<String> mine = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<String> f = consumed.putIfAbsent(sender + "/" + partId, mine);
        if (f != null) {
            return f;
        }
        try {
            fetcher.execute(() -> {
                try {
                    mine.complete(consume(partId, epoch, sender));
                } catch (RuntimeException | Error e) {
                    mine.complete("part " + partId + " could not be used: " + e);
                    throw e;
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            mine.complete("this member's part of the run is over");
        }
        return mine;
    }

    /** Waits for part {@code partId} of {@code sender} (fetching it if nobody asked yet); fails with why it cannot be used. */
    private void awaitPart(String partId, long epoch, int sender) throws IOException {
        String why;
        try {
            why = fetch(partId, epoch, sender).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching part " + partId);
        } catch (ExecutionException e) {
            why = String.valueOf(e.getCause());
        }
        if (why != null) {
            throw new IOException(why);
        }
    }

    /**
     * On a fetching thread: downloads part {@code partId}, authenticates it, checks every chunk of a file I
     * want against that file's manifest and writes it into the file's partial file; chunks of files I do not
     * want, or of nodes {@code sender} does not own, are skipped. Returns null, or why the part cannot be
     * used: it then fails every file that needs it, with that reason (refused content raises one alert).
     */
    private String consume(String partId, long epoch, int sender) {
        try {
            Optional<SecretBytes> key = ctx.keyFor(epoch);
            if (key.isEmpty()) {
                return "the parts are sealed under key epoch " + epoch + ", which this member no longer holds";
            }
            byte[] sealed = download(partId);
            FilePart.Data part;
            try (SecretBytes k = key.get()) {
                part = OPENERS.get().open(ctx.session(), k, epoch, runId, partId, sealed);
            }
            sealed = null; // the opened copy is all that is needed now
            byte[] data = part.buf();
            MessageDigest sha = sha256();
            Map<String, FileManifest> seen = new HashMap<>();
            Map<String, byte[]> hashesOf = new HashMap<>();
            Map<PartialFile, List<Integer>> got = new LinkedHashMap<>();
            for (FilePart.Chunk c : FilePart.unpack(part)) {
                String fk = key(c.file().sourceNode(), c.file().path());
                FileManifest mf = seen.computeIfAbsent(fk, manifests::get);
                if (mf == null || !wanted.containsKey(fk) || !Integer.valueOf(sender).equals(owner.get(c.file().sourceNode()))) {
                    continue; // not for me, or not the sender's to send
                }
                byte[] hashes = hashesOf.computeIfAbsent(fk, x -> mf.hashes());
                if (c.index() >= mf.chunkCount() || c.length() != mf.lengths()[c.index()]) {
                    throw new WireException("part " + partId + " carries chunk " + c.index() + " of " + c.file().path()
                            + " that its manifest does not have");
                }
                sha.update(data, c.offset(), c.length());
                if (!Arrays.equals(sha.digest(), 0, 32, hashes, c.index() * 32, c.index() * 32 + 32)) {
                    throw new WireException("chunk " + c.index() + " of " + c.file().path() + " does not match its hash");
                }
                fetched.merge(fk, (long) c.length(), Long::sum);
                PartialFile pf = partial(mf);
                if (!pf.has(c.index())) {
                    pf.write(c.index(), data, c.offset(), c.length());
                    got.computeIfAbsent(pf, x -> new ArrayList<>()).add(c.index());
                }
            }
            for (Map.Entry<PartialFile, List<Integer>> e : got.entrySet()) {
                e.getKey().commit(e.getValue()); // verified and written: a crash from here on does not fetch these again
                e.getKey().suspend();
            }
            return null;
        } catch (WireException e) {
            ctx.alert("refused part " + partId + " from " + ctx.describe(sender) + ": " + e.getMessage());
            return e.getMessage();
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /**
     * Downloads part {@code partId}, trying again (three times in all, 250 ms apart) when the download broke
     * off or was refused for a transfer token of a connection that was lost and resumed meanwhile: parts are
     * fetched during the whole upload, and the relay keeps a part until every recipient read it in full.
     */
    private byte[] download(String partId) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return ctx.link().downloadPart(partId);
            } catch (org.ciphersync.relay.protocol.client.RelayException e) {
                boolean again = e.status() == 0 || e.status() == 401 || e.status() >= 500;
                if (!again || attempt == 3 || !ctx.active() || !InventoryExchange.pause()) {
                    throw e;
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void submit(ExecutorService to, Runnable task) {
        try {
            to.submit(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // this member's part is over: nothing more to answer
        }
    }

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
