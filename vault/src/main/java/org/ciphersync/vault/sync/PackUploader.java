package org.ciphersync.vault.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.format.BlobKind;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.tree.BlobId;

/**
 * The second stage of the up-sync pipeline: compresses and seals blobs, appends them to a pack and
 * stores each pack when it reaches the vault's pack size. The first stage (reading, chunking,
 * hashing) hands blobs over a bounded queue, so at most a few chunks wait in memory.
 *
 * <p>Sealing (zstd and AES-GCM) costs about twice what reading and chunking cost, so it runs on
 * {@link #WORKERS} threads, each with its own codec and its own open pack: blobs land in whichever
 * pack their worker fills, which changes nothing for readers (the index says where each blob is).
 *
 * <p>Before a pack is stored, a checkpoint naming its blobs is stored (write-ahead, on another
 * thread while the previous pack is still being stored): a pack on the storage always has a
 * checkpoint, so an up-sync interrupted at any point can be resumed by the next one without
 * uploading again what had arrived (docs/design.md (Vault) §5).
 *
 * <p>When the scan ends, the packs the workers still hold open are joined into as few packs as the
 * pack size allows (a small change sealed on two threads makes one pack, not two). If no pack had
 * been stored before that, the whole up-sync is those final packs and they are stored without
 * checkpoints: an interruption then costs at most their upload again, and a small up-sync saves a
 * checkpoint's save and its deletion (docs/design.md (Vault) §5).
 */
final class PackUploader implements AutoCloseable {
    /** Sealing threads: one per core, at most 4 (reading and storing need their share too). */
    static final int WORKERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /**
     * Packs stored at the same time (at most; fewer when the store handles fewer connections). A
     * store call waits on the server for part of its time (its reply, its fsync), and a second one
     * keeps the connection busy meanwhile: a 917 MiB first up-sync to a local S3 server took
     * 8.9-9.1 s instead of 9.6-10.7 s (alternating runs), and 8.3-9.8 s instead of 9.5-10.6 s on a
     * local folder. Each sealing thread still has at most two packs in flight, so memory is unchanged.
     */
    static final int STORERS = 2;

    private record Job(BlobId id, BlobKind kind, byte[] data) {
    }

    private static final Job END = new Job(null, null, null);

    private final Repository repo;
    private final String ns;
    private final ComputerId writer;
    private final int packSize;
    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(4 + 2 * WORKERS);
    private final List<IndexEntry> entries = new ArrayList<>();
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicInteger packs = new AtomicInteger();
    private final Progress progress;
    private final List<Thread> threads = new ArrayList<>();
    private final ExecutorService storer;
    private final ExecutorService checkpointer = daemonExecutor("vault-checkpoint");
    private final List<BlobName> checkpoints = Collections.synchronizedList(new ArrayList<>());
    private volatile Throwable failure;

    private record Pending(BlobId id, BlobKind kind, int offset, int length, int raw) {
        Pending shifted(int by) {
            return new Pending(id, kind, offset + by, length, raw);
        }
    }

    /** A worker's pack that was still open when the scan ended: its bytes and its blobs. */
    private record OpenPack(byte[] bytes, int used, List<Pending> blobs) {
    }

    /** The open packs the workers handed over at the end, joined and stored by {@link #finish}. */
    private final List<OpenPack> openAtEnd = Collections.synchronizedList(new ArrayList<>());

    PackUploader(Repository repo, String ns, ComputerId writer, Progress progress) {
        this.repo = repo;
        this.ns = ns;
        this.writer = writer;
        this.packSize = repo.config().packSize();
        this.progress = progress;
        this.storer = daemonExecutor("vault-store", Math.min(STORERS, repo.store().capabilities().connections()));
        for (int i = 0; i < WORKERS; i++) {
            Thread t = new Thread(new Sealer()::loop, "vault-seal-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private static ExecutorService daemonExecutor(String name) {
        return daemonExecutor(name, 1);
    }

    private static ExecutorService daemonExecutor(String name, int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a blob (the array is owned by the uploader from now on). */
    void add(BlobId id, BlobKind kind, byte[] data) {
        if (failure != null) {
            throw rethrow();
        }
        put(new Job(id, kind, data));
    }

    private void put(Job job) {
        try {
            while (!queue.offer(job, 100, TimeUnit.MILLISECONDS)) {
                if (failure != null) {
                    throw rethrow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Seals what is queued, stores the last packs and returns every index entry written. */
    List<IndexEntry> finish() {
        if (failure != null) {
            throw rethrow();
        }
        for (int i = 0; i < threads.size(); i++) {
            put(END);
        }
        try {
            for (Thread t : threads) {
                while (t.isAlive()) {
                    t.join(100);
                    if (failure != null) {
                        // a failed worker cleared the queue: the others may wait for an END that is gone
                        threads.forEach(Thread::interrupt);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure != null) {
            throw rethrow();
        }
        storeOpenPacks();
        return entries;
    }

    /**
     * Joins the packs the workers left open into packs of at most the pack size (a larger one stays
     * alone) and stores them, with checkpoints only when packs were stored before (a long up-sync
     * keeps every pack resumable; a short one is these packs alone).
     */
    private void storeOpenPacks() {
        boolean checkpointed = packs.get() > 0;
        List<Future<byte[]>> stores = new ArrayList<>();
        byte[] joined = null;
        int used = 0;
        List<Pending> blobs = new ArrayList<>();
        for (OpenPack p : openAtEnd) {
            if (used > 0 && used + p.used() > packSize) {
                stores.add(store(joined, used, blobs, checkpointed));
                joined = null;
                used = 0;
                blobs = new ArrayList<>();
            }
            if (joined == null) {
                joined = p.bytes();
                blobs.addAll(p.blobs());
            } else {
                if (joined.length < used + p.used()) {
                    joined = Arrays.copyOf(joined, used + p.used());
                }
                System.arraycopy(p.bytes(), 0, joined, used, p.used());
                for (Pending b : p.blobs()) {
                    blobs.add(b.shifted(used));
                }
            }
            used += p.used();
        }
        if (used > 0) {
            stores.add(store(joined, used, blobs, checkpointed));
        }
        openAtEnd.clear();
        stores.forEach(PackUploader::result);
    }

    /**
     * Names a pack, records its index entries and stores it on the store thread, after its
     * checkpoint when {@code checkpoint} (the checkpoint is stored on its own thread, so it may
     * overlap the upload of the pack before). The future yields the buffer back once stored.
     */
    private Future<byte[]> store(byte[] full, int length, List<Pending> blobs, boolean checkpoint) {
        // The name (SHA-256) is computed here: the store thread is the slower one (fsync'd writes).
        BlobName name = Repository.packName(writer, full, length);
        List<IndexEntry> packEntries = new ArrayList<>(blobs.size());
        for (Pending p : blobs) {
            packEntries.add(new IndexEntry(p.id(), p.kind(), name, p.offset(), p.length(), p.raw()));
        }
        synchronized (entries) {
            entries.addAll(packEntries);
        }
        Future<BlobName> stored = checkpoint ? checkpointer.submit(() -> repo.saveCheckpoint(ns, writer, packEntries)) : null;
        packs.incrementAndGet();
        return storer.submit(() -> {
            if (stored != null) {
                checkpoints.add(result(stored));
            }
            repo.put(name, full, length);
            progress.uploaded(uploaded.addAndGet(length));
            return full;
        });
    }

    long uploadedBytes() {
        return uploaded.get();
    }

    int packs() {
        return packs.get();
    }

    /** The checkpoints stored so far (each before its pack). */
    List<BlobName> checkpoints() {
        synchronized (checkpoints) {
            return List.copyOf(checkpoints);
        }
    }

    private RuntimeException rethrow() {
        Throwable f = failure;
        if (f instanceof RuntimeException r) {
            return r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(f);
    }

    /**
     * One sealing thread: its codec, its open pack, and its stores still in flight. A stored pack's
     * buffer comes back to this worker for its next pack, so a worker holds at most three (one
     * filling, two storing) however many packs it writes: 17 MiB arrays made per pack outlive the
     * young generation and would pile up in the old one until a full collection.
     */
    private final class Sealer {
        private final BlobCodec codec = repo.codec(ns);
        private final List<Pending> pending = new ArrayList<>();
        /** Stores in flight; each yields its buffer back when done. */
        private final List<Future<byte[]>> uploads = new ArrayList<>();
        private final ArrayDeque<byte[]> free = new ArrayDeque<>();
        private byte[] pack = newBuffer();
        private int used;

        void loop() {
            try {
                while (failure == null) {
                    Job j = queue.take();
                    if (j == END) {
                        awaitUploads(0);
                        if (used > 0) {
                            openAtEnd.add(new OpenPack(pack, used, List.copyOf(pending)));
                        }
                        return;
                    }
                    byte[] sealed = codec.seal(j.id(), j.data(), 0, j.data().length);
                    if (used > 0 && used + sealed.length > packSize) {
                        flush();
                    }
                    if (used + sealed.length > pack.length) {
                        pack = Arrays.copyOf(pack, used + sealed.length);
                    }
                    System.arraycopy(sealed, 0, pack, used, sealed.length);
                    pending.add(new Pending(j.id(), j.kind(), used, sealed.length, j.data().length));
                    used += sealed.length;
                }
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
                queue.clear();
            } finally {
                codec.close();
            }
        }

        /**
         * Stores the full pack (checkpoint first) while the next one is sealed in a buffer a finished
         * store gave back; at most two packs per worker wait.
         */
        private void flush() {
            awaitUploads(1);
            uploads.add(store(pack, used, List.copyOf(pending), true));
            pending.clear();
            pack = free.isEmpty() ? newBuffer() : free.pop();
            used = 0;
        }

        private byte[] newBuffer() {
            return new byte[packSize + (1 << 20)];
        }

        /** Waits until at most {@code pendingAllowed} of this worker's stores are still running; rethrows their failure. */
        private void awaitUploads(int pendingAllowed) {
            while (uploads.size() > pendingAllowed) {
                free.push(result(uploads.remove(0)));
            }
        }
    }

    /** The result of a task of this uploader; its failure rethrown as it was thrown. */
    private static <T> T result(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        for (Thread t : threads) {
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        storer.shutdownNow();
        checkpointer.shutdownNow();
    }
}
