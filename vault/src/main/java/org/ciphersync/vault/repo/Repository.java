package org.ciphersync.vault.repo;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.kdf.Argon2idParams;
import org.ciphersync.crypto.keys.NamespaceKeys;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.cache.ObjectCache;
import org.ciphersync.vault.chain.Commit;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.format.BlobIndex;
import org.ciphersync.vault.format.CommitCodec;
import org.ciphersync.vault.format.ComputerRecord;
import org.ciphersync.vault.format.IndexCodec;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.format.ObjectNames;
import org.ciphersync.vault.format.Seal;
import org.ciphersync.vault.format.VaultConfig;
import org.ciphersync.vault.format.VaultKeys;
import org.ciphersync.vault.keys.KeyRing;
import org.ciphersync.vault.keys.KeySlot;
import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.StoreException;
import org.ciphersync.vault.tree.BlobId;

/**
 * An unlocked vault on a {@link BlobStore}: reads and writes the format's objects and verifies
 * everything it reads (docs/design.md (Vault) §2, §6). Thread-safe for reads; writers are the
 * up-sync and maintenance operations, which write only names of their own computer.
 */
public final class Repository implements AutoCloseable {
    /** Largest sealed index object accepted. */
    public static final int MAX_INDEX_SIZE = 64 << 20;

    private final BlobStore store;
    private final VaultConfig config;
    private final VaultKeys keys;

    /** Local copies of commits and index objects; null: every read goes to the storage. */
    private volatile ObjectCache cache;

    private Repository(BlobStore store, VaultConfig config, VaultKeys keys) {
        this.store = store;
        this.config = config;
        this.keys = keys;
        this.packCache = new PackCache(config.packSize() + (1 << 20)); // the uploader's buffer size: only a pack of one larger blob exceeds it
    }

    /**
     * Reads commits and index objects through {@code cache} (null: from the storage only, as
     * {@code vault check} does). Objects from the cache are verified like those from the storage.
     */
    public void useCache(ObjectCache cache) {
        this.cache = cache;
    }

    /**
     * Creates a new vault at an empty location: config, one password slot. Refuses a location that
     * already holds a vault.
     */
    public static Repository create(BlobStore store, Password password, Argon2idParams kdf, SecureRandom rng, Clock clock) {
        return create(store, password, kdf, rng, clock, VaultConfig.DEFAULT_PACK_SIZE);
    }

    /** Creates a vault whose packs fill up to {@code packSize} bytes (64 KiB..32 MiB; tests use small packs). */
    public static Repository create(BlobStore store, Password password, Argon2idParams kdf, SecureRandom rng, Clock clock,
                                    int packSize) {
        try {
            store.create();
            if (store.exists(ObjectNames.CONFIG)) {
                throw new VaultException(VaultException.Kind.NOT_A_VAULT, "there is already a vault at " + store.location()
                        + "; use 'ciphersync vault join " + store.location() + "' to add this computer to it");
            }
            byte[] idb = new byte[16];
            rng.nextBytes(idb);
            String vaultId = HexFormat.of().formatHex(idb);
            VaultConfig config = new VaultConfig(VaultConfig.FORMAT, vaultId, clock.millis(), ChunkerParams.VAULT, packSize, 3);
            SecretBytes root = SecretBytes.random(rng, 32);
            VaultKeys keys = new VaultKeys(vaultId, root);
            KeySlot slot = KeyRing.passwordSlot(vaultId, root, password, kdf, rng);
            store.save(ObjectNames.keySlot(slot.slotId()), BlobSource.of(slot.encode()));
            store.save(ObjectNames.CONFIG, BlobSource.of(config.encode(keys.chainKey())));
            return new Repository(store, config, keys);
        } catch (StoreException e) {
            throw storage("create the vault", store, e);
        }
    }

    /** Opens a vault with the master password ("wrong password" when no slot opens). */
    public static Repository open(BlobStore store, Password password) {
        byte[] cfgBytes = readConfig(store);
        VaultConfig config = VaultConfig.decode(cfgBytes);
        KeyRing.Unlocked u = KeyRing.unlock(config.vaultId(), slots(store), password);
        return finishOpen(store, config, cfgBytes, u.rootKey());
    }

    /** Opens a vault with the recovery key. */
    public static Repository openWithRecoveryKey(BlobStore store, SecretBytes recoveryKey) {
        byte[] cfgBytes = readConfig(store);
        VaultConfig config = VaultConfig.decode(cfgBytes);
        KeyRing.Unlocked u = KeyRing.unlockWithRecoveryKey(config.vaultId(), slots(store), recoveryKey);
        return finishOpen(store, config, cfgBytes, u.rootKey());
    }

    private static Repository finishOpen(BlobStore store, VaultConfig config, byte[] cfgBytes, SecretBytes root) {
        VaultKeys keys = new VaultKeys(config.vaultId(), root);
        try {
            config.verify(cfgBytes, keys.chainKey());
        } catch (RuntimeException e) {
            keys.close();
            throw e;
        }
        return new Repository(store, config, keys);
    }

    private static byte[] readConfig(BlobStore store) {
        try {
            return readAtMost(store, ObjectNames.CONFIG, VaultConfig.MAX_SIZE);
        } catch (StoreException e) {
            if (e.isNotFound()) {
                throw new VaultException(VaultException.Kind.NOT_A_VAULT, "there is no vault at " + store.location()
                        + " (create one with 'ciphersync vault init " + store.location() + "')");
            }
            throw storage("read the vault config", store, e);
        } catch (IOException e) {
            throw storage("read the vault config", store, e);
        }
    }

    /** All key slots (unreadable or foreign files are integrity errors, absent folder = none). */
    public static List<KeySlot> slots(BlobStore store) {
        try {
            List<KeySlot> out = new ArrayList<>();
            for (BlobInfo i : store.listAll(BlobType.KEY)) {
                if (!ObjectNames.isKeySlot(i.name())) {
                    continue;
                }
                if (i.size() > KeySlot.MAX_SIZE) {
                    throw VaultException.integrity("key slot " + i.name().name() + " is " + i.size() + " bytes");
                }
                out.add(KeySlot.decode(i.name().name(), store.loadBytes(i.name())));
            }
            out.sort(Comparator.comparing(KeySlot::slotId));
            return out;
        } catch (IOException e) {
            throw storage("read the key slots", store, e);
        }
    }

    public List<KeySlot> slots() {
        return slots(store);
    }

    public void saveSlot(KeySlot slot) {
        put(ObjectNames.keySlot(slot.slotId()), slot.encode());
    }

    public void deleteSlot(String slotId) {
        try {
            store.delete(ObjectNames.keySlot(slotId));
        } catch (StoreException e) {
            throw storage("delete key slot " + slotId, store, e);
        }
    }

    public BlobStore store() {
        return store;
    }

    public VaultConfig config() {
        return config;
    }

    public VaultKeys keys() {
        return keys;
    }

    public String vaultId() {
        return config.vaultId();
    }

    public NamespaceKeys namespace(String ns) {
        try {
            return keys.namespace(ns);
        } catch (IllegalArgumentException e) {
            throw new VaultException(VaultException.Kind.USAGE, e.getMessage());
        }
    }

    // ---- computers -----------------------------------------------------------------------------

    public void saveComputer(ComputerRecord r) {
        put(ObjectNames.computer(r.id()), r.encode(vaultId(), keys.chainKey()));
    }

    /** The chain: every computer's record, sorted by join time. */
    public List<ComputerRecord> computers() {
        try {
            List<ComputerRecord> out = new ArrayList<>();
            for (BlobInfo i : store.listAll(BlobType.LOG)) {
                ComputerId id = ObjectNames.parseComputer(i.name());
                if (id != null) {
                    out.add(ComputerRecord.decode(vaultId(), keys.chainKey(), id, load(i.name(), ComputerRecord.MAX_SIZE)));
                }
            }
            out.sort(Comparator.comparingLong(ComputerRecord::joined).thenComparing(ComputerRecord::id));
            return out;
        } catch (StoreException e) {
            throw storage("list the computers", store, e);
        }
    }

    // ---- logs ----------------------------------------------------------------------------------

    /**
     * Every computer's log in namespace {@code ns}, each verified: sequence numbers contiguous from 1,
     * every commit authentic at its place, every {@code prev} the hash of its predecessor.
     */
    public Map<ComputerId, List<LogEntry>> logs(String ns) {
        NamespaceKeys nk = namespace(ns);
        String tag = VaultKeys.tag(nk);
        Map<ComputerId, TreeMap<Long, BlobName>> names = new HashMap<>();
        try {
            store.list(BlobType.SNAPSHOT, i -> {
                ObjectNames.SnapshotRef ref = ObjectNames.parseSnapshot(i.name());
                if (ref != null && ref.nsTag().equals(tag)) {
                    names.computeIfAbsent(ref.computer(), k -> new TreeMap<>()).put(ref.seq(), i.name());
                }
            });
        } catch (StoreException e) {
            throw storage("list the commits", store, e);
        }
        Map<ComputerId, List<LogEntry>> out = new TreeMap<>();
        for (Map.Entry<ComputerId, TreeMap<Long, BlobName>> e : names.entrySet()) {
            ComputerId c = e.getKey();
            List<LogEntry> log = new ArrayList<>();
            String prev = Commit.NO_PREV;
            long expect = 1;
            for (Map.Entry<Long, BlobName> s : e.getValue().entrySet()) {
                if (s.getKey() != expect) {
                    throw VaultException.integrity("the log of computer " + c.shortForm() + " is missing commit " + expect
                            + " (it jumps to " + s.getKey() + "): objects were deleted from the vault");
                }
                long seq = s.getKey();
                String expectedPrev = prev;
                byte[][] sealedOut = new byte[1][];
                Commit commit = loadVerified(s.getValue(), CommitCodec.MAX_SIZE, sealed -> {
                    Commit decoded = CommitCodec.decode(vaultId(), nk, c, seq, sealed);
                    if (!decoded.prev().equals(expectedPrev)) {
                        throw VaultException.integrity("commit " + seq + " of computer " + c.shortForm()
                                + " does not follow commit " + (seq - 1) + " (broken hash chain): the log was tampered with");
                    }
                    sealedOut[0] = sealed;
                    return decoded;
                });
                byte[] sealed = sealedOut[0];
                prev = Seal.sha256Hex(sealed);
                log.add(new LogEntry(commit, prev));
                expect++;
            }
            out.put(c, log);
        }
        return out;
    }

    /**
     * Refuses logs that went back compared with {@code seen} (computer → last head seen in this
     * namespace), then returns the new heads.
     */
    public static Map<ComputerId, Head> checkRollback(Map<ComputerId, List<LogEntry>> logs, Map<ComputerId, Head> seen) {
        for (Map.Entry<ComputerId, Head> e : seen.entrySet()) {
            List<LogEntry> log = logs.getOrDefault(e.getKey(), List.of());
            Head h = e.getValue();
            if (log.size() < h.seq()) {
                throw new VaultException(VaultException.Kind.ROLLBACK, "the vault went back in time: the log of computer "
                        + e.getKey().shortForm() + " ends at commit " + log.size() + " but this computer saw commit " + h.seq()
                        + ". The storage was restored from an old copy or tampered with; do not write to it until you know why");
            }
            if (!log.get((int) h.seq() - 1).hash().equals(h.hash())) {
                throw new VaultException(VaultException.Kind.ROLLBACK, "the history of computer " + e.getKey().shortForm()
                        + " was rewritten: commit " + h.seq() + " differs from the one this computer saw");
            }
        }
        Map<ComputerId, Head> heads = new TreeMap<>(seen);
        logs.forEach((c, log) -> {
            if (!log.isEmpty()) {
                LogEntry last = log.get(log.size() - 1);
                heads.put(c, new Head(last.commit().seq(), last.hash()));
            }
        });
        return heads;
    }

    /** Writes commit {@code c} (its place is taken from it) and returns its log entry. */
    public LogEntry saveCommit(Commit c) {
        NamespaceKeys nk = namespace(c.namespace());
        byte[] sealed = CommitCodec.encode(vaultId(), nk, c);
        BlobName name = ObjectNames.snapshot(c.computer(), VaultKeys.tag(nk), c.seq());
        try {
            // Never replaces a commit. Where the storage refuses an existing name in the request that
            // stores the object (WebDAV), no separate request asks for it first.
            if (!store.saveIfAbsent(name, BlobSource.of(sealed))
                    && !java.util.Arrays.equals(readAtMost(store, name, CommitCodec.MAX_SIZE), sealed)) {
                // (the same bytes are this commit, stored by an attempt whose answer was lost: its salt makes it unique)
                throw new VaultException(VaultException.Kind.REFUSED, "commit " + c.seq() + " of this computer already exists; "
                        + "another up-sync of this computer ran at the same time (run again)");
            }
        } catch (IOException e) {
            throw storage("write " + name, store, e);
        }
        keepCopy(name, sealed);
        return new LogEntry(c, Seal.sha256Hex(sealed));
    }

    // ---- index ---------------------------------------------------------------------------------

    /** Seals and stores an index object written by {@code writer}; returns its name. */
    public BlobName saveIndex(String ns, ComputerId writer, List<IndexEntry> entries) {
        byte[] sealed = sealIndex(ns, writer, entries);
        BlobName name = ObjectNames.index(writer, Seal.sha256Hex(sealed));
        put(name, sealed);
        keepCopy(name, sealed);
        return name;
    }

    /**
     * Seals and stores a checkpoint of an up-sync in progress: an index object (same content and
     * seal) under the checkpoint name {@code C.N.H}, written before the packs it names
     * (docs/design.md (Vault) §5). Returns its name.
     */
    public BlobName saveCheckpoint(String ns, ComputerId writer, List<IndexEntry> entries) {
        byte[] sealed = sealIndex(ns, writer, entries);
        BlobName name = ObjectNames.checkpoint(writer, VaultKeys.tag(namespace(ns)), Seal.sha256Hex(sealed));
        put(name, sealed);
        return name;
    }

    private byte[] sealIndex(String ns, ComputerId writer, List<IndexEntry> entries) {
        return Seal.seal(namespace(ns).indexKey(), indexContext(ns, writer), IndexCodec.encode(entries));
    }

    /** Loads and verifies one index object (name hash, seal, structure). */
    public List<IndexEntry> loadIndex(String ns, String indexName) {
        List<IndexEntry> out = new ArrayList<>();
        loadIndex(ns, indexName, IndexCodec.Sink.into(out));
        return out;
    }

    /** Loads and verifies one index object of namespace {@code ns} into {@code sink} (no object per blob). */
    public void loadIndex(String ns, String indexName, IndexCodec.Sink sink) {
        BlobName name = BlobName.of(BlobType.INDEX, indexName);
        ComputerId writer = ObjectNames.indexWriter(name);
        if (writer == null) {
            throw VaultException.integrity("'" + indexName + "' is not an index name");
        }
        byte[] plain = loadVerified(name, MAX_INDEX_SIZE, sealed -> openIndex(ns, name, writer, ObjectNames.indexHash(name), sealed));
        try {
            IndexCodec.decode(plain, "index " + shortName(name), sink);
        } catch (IndexCodec.IndexFormatException e) {
            throw VaultException.integrity(e.getMessage(), e);
        }
    }

    /**
     * Loads and verifies one checkpoint of namespace {@code ns} like an index object; null when it
     * no longer exists (its writer deletes its checkpoints once its commit is stored).
     */
    public List<IndexEntry> loadCheckpoint(String ns, ObjectNames.CheckpointRef ref) {
        if (!ref.nsTag().equals(VaultKeys.tag(namespace(ns)))) {
            throw new IllegalArgumentException("checkpoint " + shortName(ref.name()) + " is not of namespace " + ns);
        }
        byte[] sealed;
        try {
            sealed = readAtMost(store, ref.name(), MAX_INDEX_SIZE);
        } catch (StoreException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw storage("read " + shortName(ref.name()), store, e);
        } catch (IOException e) {
            throw storage("read " + shortName(ref.name()), store, e);
        }
        byte[] plain = openIndex(ns, ref.name(), ref.computer(), ref.hash(), sealed);
        try {
            return IndexCodec.decode(plain, "index " + shortName(ref.name()));
        } catch (IndexCodec.IndexFormatException e) {
            throw VaultException.integrity(e.getMessage(), e);
        }
    }

    private byte[] openIndex(String ns, BlobName name, ComputerId writer, String hash, byte[] sealed) {
        if (!Seal.sha256Hex(sealed).equals(hash)) {
            throw VaultException.integrity("index " + shortName(name) + " is corrupt (its content does not match its name)");
        }
        return Seal.open(namespace(ns).indexKey(), indexContext(ns, writer), sealed, "index " + shortName(name));
    }

    /** Every checkpoint in the vault, of every computer and namespace. */
    public List<ObjectNames.CheckpointRef> checkpoints() {
        List<ObjectNames.CheckpointRef> out = new ArrayList<>();
        try {
            store.list(BlobType.INDEX, i -> {
                ObjectNames.CheckpointRef ref = ObjectNames.parseCheckpoint(i.name());
                if (ref != null) {
                    out.add(ref);
                }
            });
        } catch (StoreException e) {
            throw storage("list the index objects", store, e);
        }
        return out;
    }

    /** The union of the index objects named by {@code logs}' commits: blob id → location. */
    public BlobIndex index(String ns, Map<ComputerId, List<LogEntry>> logs) {
        BlobIndex.Builder out = new BlobIndex.Builder();
        LinkedHashMap<String, Boolean> names = new LinkedHashMap<>();
        logs.values().forEach(l -> l.forEach(e -> e.commit().indexes().forEach(n -> names.put(n, true))));
        for (String n : names.keySet()) {
            loadIndex(ns, n, out::add);
        }
        return out.build();
    }

    private AeadContext indexContext(String ns, ComputerId writer) {
        return AeadContext.vault(vaultId(), ns, "index", writer.bytes(), 0);
    }

    // ---- packs and blobs -----------------------------------------------------------------------

    /** The content name of a pack: SHA-256 of its bytes, then the writer's id. */
    public static BlobName packName(ComputerId writer, byte[] pack, int length) {
        java.security.MessageDigest d;
        try {
            d = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        d.update(pack, 0, length);
        return ObjectNames.pack(HexFormat.of().formatHex(d.digest()), writer);
    }

    /** Stores a finished pack under its content name; returns the name. */
    public BlobName savePack(ComputerId writer, byte[] pack, int length) {
        java.security.MessageDigest d;
        try {
            d = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        d.update(pack, 0, length);
        BlobName name = ObjectNames.pack(HexFormat.of().formatHex(d.digest()), writer);
        put(name, pack, length);
        return name;
    }

    /** Packs read whole and kept (LRU, buffers reused) while {@link #preferWholePacks} is on (trees, check; restores read each pack once through {@link #readPackRange}). */
    private final PackCache packCache;

    /**
     * When {@code n > 0}, blobs are read by loading their whole pack and keeping the last {@code n} packs in memory: one read per pack instead of one per
     * blob, for bulk reads (down-sync, restore, trees). 0 turns it off and empties the cache.
     */
    public void preferWholePacks(int n) {
        packCache.capacity(n);
    }

    /** The current {@link #preferWholePacks} setting. */
    public int wholePacks() {
        return packCache.capacity();
    }

    /**
     * Reads a whole pack into {@code buffer}, or into an array of its own when it is larger (at most
     * {@link IndexCodec#MAX_PACK_SIZE}). Each blob is authenticated when opened; the pack's name hash
     * is checked by 'check --read-data'.
     */
    private PackCache.Loaded loadPack(BlobName name, byte[] buffer) throws IOException {
        return store.load(name, ByteRange.all(), in -> {
            int n = in.readNBytes(buffer, 0, buffer.length);
            if (n < buffer.length) {
                return new PackCache.Loaded(buffer, n);
            }
            byte[] rest = in.readNBytes((int) (IndexCodec.MAX_PACK_SIZE + 1 - n));
            if (n + (long) rest.length > IndexCodec.MAX_PACK_SIZE) {
                throw VaultException.integrity(shortName(name) + " is more than the " + IndexCodec.MAX_PACK_SIZE + " bytes allowed");
            }
            byte[] all = java.util.Arrays.copyOf(buffer, n + rest.length);
            System.arraycopy(rest, 0, all, n, rest.length);
            return new PackCache.Loaded(all, all.length);
        });
    }

    /** Opens a blob from its whole pack, read through the pack cache. */
    private byte[] readBlobFromPack(IndexEntry e, BlobCodec codec) {
        try (PackCache.Lease pack = packCache.acquire(e.pack(), this::loadPack)) {
            if (e.offset() + e.length() > pack.length()) {
                throw VaultException.integrity("pack " + shortName(e.pack()) + " is shorter than the index says (truncated?)");
            }
            return codec.open(e.id(), pack.bytes(), (int) e.offset(), e.length(), e.rawLength(), "pack " + shortName(e.pack()));
        } catch (StoreException ex) {
            if (ex.isNotFound()) {
                throw VaultException.integrity("pack " + shortName(e.pack()) + " is missing from the vault (needed for blob " + e.id() + ")");
            }
            throw storage("read pack " + shortName(e.pack()), store, ex);
        } catch (IOException ex) {
            throw storage("read pack " + shortName(e.pack()), store, ex);
        }
    }

    /**
     * Reads bytes {@code [from, to)} of a pack into the start of {@code buffer}, or of a new array
     * when {@code buffer} is too small, and returns the array holding them (bulk restores read each
     * pack once this way, opening its blobs with {@link BlobCodec#open}).
     *
     * @throws VaultException INTEGRITY when the pack is missing or shorter than the index says,
     *                        STORAGE when the storage cannot be read
     */
    public byte[] readPackRange(BlobName pack, long from, long to, byte[] buffer) {
        if (from < 0 || to <= from || to - from > IndexCodec.MAX_PACK_SIZE) {
            throw VaultException.integrity("pack " + shortName(pack) + ": the index names an impossible range " + from + ".." + to);
        }
        int len = (int) (to - from);
        byte[] into = buffer != null && buffer.length >= len ? buffer : new byte[len];
        try {
            int n = store.load(pack, ByteRange.of(from, len), in -> in.readNBytes(into, 0, len));
            if (n != len) {
                throw VaultException.integrity("pack " + shortName(pack) + " is shorter than the index says (truncated?)");
            }
            return into;
        } catch (StoreException ex) {
            if (ex.isNotFound()) {
                throw VaultException.integrity("pack " + shortName(pack) + " is missing from the vault");
            }
            if (ex.isPermanent()) {
                throw VaultException.integrity("pack " + shortName(pack) + " is shorter than the index says (truncated?): " + ex.getMessage(), ex);
            }
            throw storage("read pack " + shortName(pack), store, ex);
        } catch (IOException ex) {
            throw storage("read pack " + shortName(pack), store, ex);
        }
    }

    /** Reads and opens one blob, verifying its id. */
    public byte[] readBlob(IndexEntry e, BlobCodec codec) {
        if (packCache.capacity() > 0) {
            return readBlobFromPack(e, codec);
        }
        byte[] sealed;
        try {
            sealed = store.loadBytes(e.pack(), ByteRange.of(e.offset(), e.length()));
        } catch (StoreException ex) {
            if (ex.isNotFound()) {
                throw VaultException.integrity("pack " + shortName(e.pack()) + " is missing from the vault (needed for blob " + e.id() + ")");
            }
            if (ex.isPermanent()) {
                throw VaultException.integrity("pack " + shortName(e.pack()) + " is shorter than the index says (truncated?): " + ex.getMessage(), ex);
            }
            throw storage("read pack " + shortName(e.pack()), store, ex);
        } catch (IOException ex) {
            throw storage("read pack " + shortName(e.pack()), store, ex);
        }
        if (sealed.length != e.length()) {
            throw VaultException.integrity("pack " + shortName(e.pack()) + " returned " + sealed.length + " bytes for blob " + e.id());
        }
        return codec.open(e.id(), sealed, 0, sealed.length, e.rawLength(), "pack " + shortName(e.pack()));
    }

    /** A codec for this thread. */
    public BlobCodec codec(String ns) {
        return new BlobCodec(vaultId(), namespace(ns), config.zstdLevel());
    }

    // ---- plumbing ------------------------------------------------------------------------------

    public void put(BlobName name, byte[] bytes) {
        put(name, bytes, bytes.length);
    }

    /** Stores the first {@code length} bytes of {@code bytes} under {@code name} (they must not change meanwhile). */
    public void put(BlobName name, byte[] bytes, int length) {
        try {
            store.save(name, BlobSource.of(bytes, length));
        } catch (StoreException e) {
            throw storage("write " + name, store, e);
        }
    }

    /** The stored size of an object, or -1 when it does not exist. */
    public long sizeOf(BlobName name) {
        try {
            return store.stat(name).size();
        } catch (StoreException e) {
            if (e.isNotFound()) {
                return -1;
            }
            throw storage("read " + shortName(name), store, e);
        }
    }

    /** Deletes an object (a missing one is success). */
    public void delete(BlobName name) {
        try {
            store.delete(name);
        } catch (StoreException e) {
            throw storage("delete " + shortName(name), store, e);
        }
    }

    /**
     * Keeps a copy of an object this computer has just stored, so that its next command reads it from
     * the cache instead of downloading what it wrote itself (verified on reading like any copy).
     */
    private void keepCopy(BlobName name, byte[] sealed) {
        ObjectCache c = cache;
        if (c != null) {
            c.put(name, sealed);
        }
    }

    /**
     * Reads {@code name} (from the cache when it has a copy) and opens it with {@code open}, which
     * verifies it; a cached copy that fails is dropped and the object read again from the storage.
     * Only what {@code open} accepted is cached.
     */
    private <T> T loadVerified(BlobName name, long maxSize, java.util.function.Function<byte[], T> open) {
        ObjectCache c = cache;
        if (c != null) {
            byte[] cached = c.get(name);
            if (cached != null && cached.length <= maxSize) {
                try {
                    return open.apply(cached);
                } catch (RuntimeException e) {
                    c.remove(name); // a damaged copy: the storage decides
                }
            }
        }
        byte[] sealed = load(name, maxSize);
        T opened = open.apply(sealed);
        if (c != null) {
            c.put(name, sealed);
        }
        return opened;
    }

    /**
     * Reads a whole object of at most {@code maxSize} bytes in one request: the read stops after
     * {@code maxSize + 1} bytes, so an oversized (hostile) object is refused without a separate size query.
     */
    public byte[] load(BlobName name, long maxSize) {
        try {
            return readAtMost(store, name, maxSize);
        } catch (StoreException e) {
            if (e.isNotFound()) {
                throw VaultException.integrity(shortName(name) + " is missing from the vault");
            }
            throw storage("read " + shortName(name), store, e);
        } catch (IOException e) {
            throw storage("read " + shortName(name), store, e);
        }
    }

    private static byte[] readAtMost(BlobStore store, BlobName name, long maxSize) throws IOException {
        int limit = (int) Math.min(maxSize + 1, Integer.MAX_VALUE - 16);
        byte[] bytes = store.load(name, ByteRange.all(), in -> in.readNBytes(limit));
        if (bytes.length > maxSize) {
            throw VaultException.integrity(shortName(name) + " is more than the " + maxSize + " bytes allowed");
        }
        return bytes;
    }

    /** A name short enough for messages. */
    public static String shortName(BlobName n) {
        String s = n.name();
        return n.type().folder() + "/" + (s.length() > 24 ? s.substring(0, 24) + "…" : s);
    }

    static VaultException storage(String what, BlobStore store, IOException e) {
        boolean transientFailure = e instanceof StoreException s && s.isTransient();
        return new VaultException(VaultException.Kind.STORAGE, "could not " + what + " at " + store.location() + ": " + e.getMessage()
                + (transientFailure ? " (temporary; try again later)" : ""), e);
    }

    @Override
    public void close() {
        keys.close();
    }

    @Override
    public String toString() {
        return "Repository[" + store.location() + ", " + Objects.toString(config.vaultId()) + "]";
    }
}
