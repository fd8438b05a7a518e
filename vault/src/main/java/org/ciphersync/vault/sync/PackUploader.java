package org.ciphersync.vault.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.format.BlobKind;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.tree.BlobId;

/**
 * The second stage of the up-sync pipeline, on its own thread: compresses and seals blobs, appends
 * them to a pack and stores each pack when it reaches the vault's pack size. The first stage
 * (reading, chunking, hashing) hands blobs over a bounded queue, so at most a few chunks wait in
 * memory.
 *
 * <p>Before a pack is stored, a checkpoint naming its blobs is stored (write-ahead, on a third
 * thread while the previous pack is still being stored): a pack on the storage always has a
 * checkpoint, so an up-sync interrupted at any point can be resumed by the next one without
 * uploading again what had arrived (docs/design.md (Vault) §5).
 */
final class PackUploader implements AutoCloseable {
    private record Job(BlobId id, BlobKind kind, byte[] data) {
    }

    private static final Job END = new Job(null, null, null);

    private final Repository repo;
    private final String ns;
    private final ComputerId writer;
    private final BlobCodec codec;
    private final int packSize;
    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(6);
    private final List<IndexEntry> entries = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final AtomicLong uploaded = new AtomicLong();
    private final Progress progress;
    private final Thread thread;
    private final java.util.concurrent.ExecutorService storer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vault-store");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.ExecutorService checkpointer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vault-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private final List<BlobName> checkpoints = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<java.util.concurrent.Future<Void>> uploads = new ArrayList<>();
    private volatile Throwable failure;
    private byte[] pack;
    private int used;
    private int packs;

    private record Pending(BlobId id, BlobKind kind, int offset, int length, int raw) {
    }

    PackUploader(Repository repo, String ns, ComputerId writer, Progress progress) {
        this.repo = repo;
        this.ns = ns;
        this.writer = writer;
        this.codec = repo.codec(ns);
        this.packSize = repo.config().packSize();
        this.progress = progress;
        this.pack = new byte[packSize + (1 << 20)];
        this.thread = new Thread(this::loop, "vault-seal");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a blob (the array is owned by the uploader from now on). */
    void add(BlobId id, BlobKind kind, byte[] data) {
        if (failure != null) {
            throw rethrow();
        }
        try {
            while (!queue.offer(new Job(id, kind, data), 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (failure != null) {
                    throw rethrow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Seals what is queued, stores the last pack and returns every index entry written. */
    List<IndexEntry> finish() {
        add(END.id(), null, null);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure != null) {
            throw rethrow();
        }
        return entries;
    }

    long uploadedBytes() {
        return uploaded.get();
    }

    int packs() {
        return packs;
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

    private void loop() {
        try {
            while (true) {
                Job j = queue.take();
                if (j.id() == null) {
                    flush();
                    awaitUploads(0);
                    return;
                }
                byte[] sealed = codec.seal(j.id(), j.data(), 0, j.data().length);
                if (used > 0 && used + sealed.length > packSize) {
                    flush();
                }
                if (used + sealed.length > pack.length) {
                    pack = java.util.Arrays.copyOf(pack, used + sealed.length);
                }
                System.arraycopy(sealed, 0, pack, used, sealed.length);
                pending.add(new Pending(j.id(), j.kind(), used, sealed.length, j.data().length));
                used += sealed.length;
            }
        } catch (Throwable t) {
            failure = t;
            queue.clear();
        } finally {
            codec.close();
            storer.shutdown();
            checkpointer.shutdown();
        }
    }

    private void flush() {
        if (used == 0) {
            return;
        }
        byte[] full = pack;
        int length = used;
        // The name (SHA-256) is computed here: the store thread is the slower one (fsync'd writes).
        BlobName name = Repository.packName(writer, full, length);
        List<IndexEntry> packEntries = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            packEntries.add(new IndexEntry(p.id(), p.kind(), name, p.offset(), p.length(), p.raw()));
        }
        synchronized (entries) {
            entries.addAll(packEntries);
        }
        pending.clear();
        // The checkpoint is stored while the previous pack may still be uploading; the pack waits for it.
        java.util.concurrent.Future<BlobName> checkpoint = checkpointer.submit(() -> repo.saveCheckpoint(ns, writer, packEntries));
        // Stored on the store thread while the next pack is sealed; at most two packs wait.
        awaitUploads(1);
        uploads.add(storer.submit(() -> {
            checkpoints.add(result(checkpoint));
            repo.put(name, length == full.length ? full : java.util.Arrays.copyOf(full, length));
            progress.uploaded(uploaded.addAndGet(length));
            return null;
        }));
        packs++;
        pack = new byte[packSize + (1 << 20)];
        used = 0;
    }

    /** Waits until at most {@code pending} uploads are still running; rethrows their failure. */
    private void awaitUploads(int pendingAllowed) {
        while (uploads.size() > pendingAllowed) {
            result(uploads.remove(0));
        }
    }

    /** The result of a task of this uploader; its failure rethrown as it was thrown. */
    private static <T> T result(java.util.concurrent.Future<T> f) {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (thread.isAlive()) {
            thread.interrupt();
        }
        storer.shutdownNow();
        checkpointer.shutdownNow();
    }
}
