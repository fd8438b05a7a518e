package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.repo.VaultView;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.tree.BlobId;
import org.ciphersync.vault.tree.FileVersion;

/**
 * Writes the content of many file versions (a restore, a down-sync), reading every pack once, the
 * way restic's restorer does, instead of file by file.
 *
 * <p>The files' chunks are grouped by pack; packs are taken in the order the files first need
 * them, so files complete early and in about their given order. A few reader threads each read one
 * pack's needed range (one request per pack on every backend), open each needed blob once and
 * write it at every place it occurs (a blob shared by several files or repeated in one file is
 * decrypted once). A file's temporary name is created when its first chunk arrives; the writer of
 * its last chunk hands it to a finisher, which checks its length and content hash (SHA-256 over the
 * chunks' SHA-256 values, in order, as recorded at up-sync), forces it to disk, gives it its mtime
 * and mode, and lets the caller put it in place. Finishers are many because forcing small files is
 * what a restore waits on, and the file system groups concurrent forces.
 *
 * <p>Memory: a pack buffer per reader and the blob being written, not a cache of packs. Failures:
 * a blob that fails authentication, or a pack missing or truncated, fails exactly the files that
 * need it ({@link Target#failed}); their temporary files are deleted and the others go on. A
 * storage failure (the backend cannot be read) or any other error stops the run: it is rethrown
 * once the threads have stopped, and every temporary file not yet put in place is deleted.
 */
final class PackRestorer {
    /** Threads reading and opening packs: the work is decryption and writing on 2 cores, with reads from the backend overlapping. */
    static final int READERS = 3;
    /** Threads forcing, verifying and renaming finished files. */
    static final int FINISHERS = 16;
    /** The largest pack buffer a reader keeps for the next pack (packs are about 16 MiB). */
    private static final int KEEP_BUFFER = 32 << 20;

    /**
     * One file to write. {@link #prepare} and {@link #complete} run on worker threads, never two at
     * once for one target; different targets' callbacks run concurrently.
     */
    interface Target {
        FileVersion version();

        /** Checks the way to the file, creates its folder and returns a temporary path that does not exist. */
        Path prepare() throws IOException;

        /** The temporary file is verified, durable and has its times and mode: put it in place. */
        void complete(Path tmp) throws IOException;

        /** The item failed; its temporary file, if any, is already deleted. */
        void failed(Exception e);
    }

    private final VaultView view;
    private final Supplier<BlobCodec> codecs;
    private final boolean forceEach;
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
    private final List<Job> started = java.util.Collections.synchronizedList(new ArrayList<>());

    private PackRestorer(VaultView view, Supplier<BlobCodec> codecs, boolean forceEach) {
        this.view = view;
        this.codecs = codecs;
        this.forceEach = forceEach;
    }

    /**
     * Writes every target's content. Items fail one by one through {@link Target#failed}; a storage
     * failure or another error is thrown after all threads stopped and all unfinished temporary
     * files are deleted.
     *
     * @param codecs a codec for the calling thread (each worker takes one; the caller closes them)
     */
    static void run(VaultView view, List<? extends Target> targets, Supplier<BlobCodec> codecs) {
        run(view, targets, codecs, true);
    }

    /**
     * As {@link #run(VaultView, List, Supplier)}; with {@code forceEach} false a file is put in place
     * without forcing it to disk first, and the caller makes the whole run durable at its end (a
     * restore into a new folder, see {@link Durability}).
     */
    static void run(VaultView view, List<? extends Target> targets, Supplier<BlobCodec> codecs, boolean forceEach) {
        new PackRestorer(view, codecs, forceEach).write(targets);
    }

    /** A chunk of a file: which job, which chunk (its index in the file). */
    private record Piece(IndexEntry entry, Job job, int index) {
    }

    /** One file being written. */
    private static final class Job {
        final Target target;
        final IndexEntry[] chunks;
        final long[] offsets;
        final byte[][] shas;
        final AtomicInteger remaining;
        final AtomicLong written = new AtomicLong();
        Path tmp; // guarded by this
        boolean ended; // guarded by this: failed or completed

        Job(Target target, IndexEntry[] chunks) {
            this.target = target;
            this.chunks = chunks;
            this.offsets = new long[chunks.length];
            long at = 0;
            for (int i = 0; i < chunks.length; i++) {
                offsets[i] = at;
                at += chunks[i].rawLength();
            }
            this.shas = new byte[chunks.length][];
            this.remaining = new AtomicInteger(chunks.length);
        }

        /** Opens the temporary file for writing, creating it the first time; null once the job ended. */
        synchronized FileChannel open(List<Job> started) throws IOException {
            if (ended) {
                return null;
            }
            if (tmp == null) {
                Path t = target.prepare();
                FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                tmp = t;
                started.add(this);
                return ch;
            }
            return FileChannel.open(tmp, StandardOpenOption.WRITE);
        }

        /** Marks the job ended; true for the one caller that ended it. */
        synchronized boolean end() {
            if (ended) {
                return false;
            }
            ended = true;
            return true;
        }

        /** Deletes the temporary file, if one was created. */
        synchronized void deleteTmp() {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a hidden temporary name, replaced or removed by the next run
                }
            }
        }
    }

    private void write(List<? extends Target> targets) {
        // Group the chunks by pack, packs in order of first need.
        Map<BlobName, List<Piece>> byPack = new LinkedHashMap<>();
        List<Job> empty = new ArrayList<>();
        for (Target t : targets) {
            FileVersion v = t.version();
            List<BlobId> ids = v.chunks();
            IndexEntry[] chunks = new IndexEntry[ids.size()];
            for (int i = 0; i < chunks.length; i++) {
                chunks[i] = view.chunk(ids.get(i), v.path());
            }
            Job job = new Job(t, chunks);
            if (chunks.length == 0) {
                empty.add(job);
            }
            for (int i = 0; i < chunks.length; i++) {
                byPack.computeIfAbsent(chunks[i].pack(), p -> new ArrayList<>()).add(new Piece(chunks[i], job, i));
            }
        }
        List<List<Piece>> packs = new ArrayList<>(byPack.values());
        byPack.clear();
        ThreadPoolExecutor finishers = new ThreadPoolExecutor(FINISHERS, FINISHERS, 10, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(4 * FINISHERS), daemon("vault-finish"), new ThreadPoolExecutor.CallerRunsPolicy());
        ExecutorService readers = Executors.newFixedThreadPool(READERS, daemon("vault-read"));
        try {
            for (Job job : empty) {
                FileChannel ch = openOrFail(job);
                if (ch != null) {
                    finishers.execute(() -> finish(job, ch));
                }
            }
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                running.add(readers.submit(() -> {
                    BlobCodec codec = codecs.get();
                    byte[] buffer = null;
                    for (int i; fatal.get() == null && (i = next.getAndIncrement()) < packs.size(); ) {
                        List<Piece> pack = packs.get(i);
                        packs.set(i, null);
                        buffer = readPack(pack, codec, buffer, finishers);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                await(f);
            }
        } catch (RuntimeException e) {
            fatal.compareAndSet(null, e);
        } finally {
            readers.shutdownNow();
            finishers.shutdown();
            try {
                if (!finishers.awaitTermination(1, TimeUnit.HOURS)) {
                    fatal.compareAndSet(null, new IllegalStateException("finishing restored files did not end"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fatal.compareAndSet(null, new VaultException(VaultException.Kind.REFUSED, "interrupted; run the command again to finish"));
            }
        }
        RuntimeException e = fatal.get();
        if (e != null) {
            List<Job> unfinished;
            synchronized (started) { // copied, then ended outside: Job.open takes the job's lock, then this list's
                unfinished = new ArrayList<>(started);
            }
            for (Job job : unfinished) {
                if (job.end()) {
                    job.deleteTmp();
                }
            }
            throw e;
        }
    }

    private void await(Future<?> f) {
        try {
            f.get();
        } catch (java.util.concurrent.ExecutionException ex) {
            Throwable c = ex.getCause();
            fatal.compareAndSet(null, c instanceof RuntimeException re ? re : new IllegalStateException(c));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            fatal.compareAndSet(null, new VaultException(VaultException.Kind.REFUSED, "interrupted; run the command again to finish"));
        }
    }

    /** Reads one pack's needed range, opens each needed blob once and writes it everywhere it goes. */
    private byte[] readPack(List<Piece> pieces, BlobCodec codec, byte[] buffer, ExecutorService finishers) {
        pieces.sort(Comparator.comparingLong((Piece p) -> p.entry().offset()));
        BlobName pack = pieces.get(0).entry().pack();
        long from = pieces.get(0).entry().offset();
        long to = 0;
        for (Piece p : pieces) {
            to = Math.max(to, p.entry().offset() + p.entry().length());
        }
        byte[] bytes;
        try {
            bytes = view.repo().readPackRange(pack, from, to, buffer);
        } catch (VaultException e) {
            if (e.kind() != VaultException.Kind.INTEGRITY) {
                throw e;
            }
            for (Piece p : pieces) {
                fail(p.job(), e);
            }
            return buffer;
        }
        String where = "pack " + Repository.shortName(pack); // for error messages, built once per pack
        // Each file's channel is open only while this pack still has pieces of it: it is released
        // (handed to a finisher or closed) after its last one, not at the end of the pack. A pack of
        // tiny files holds tens of thousands of them, and a million-file restore kept every one of a
        // pack's files open and ran out of file descriptors.
        Map<Job, int[]> left = new IdentityHashMap<>(); // {pieces not yet handled here, pieces written here}
        for (Piece p : pieces) {
            left.computeIfAbsent(p.job(), j -> new int[2])[0]++;
        }
        Map<Job, FileChannel> visit = new IdentityHashMap<>();
        try {
            for (int i = 0; i < pieces.size(); ) {
                IndexEntry e = pieces.get(i).entry();
                int end = i + 1;
                while (end < pieces.size() && pieces.get(end).entry().offset() == e.offset()) {
                    end++;
                }
                byte[] data = null;
                byte[] sha = null;
                VaultException bad = null;
                try {
                    data = codec.open(e.id(), bytes, (int) (e.offset() - from), e.length(), e.rawLength(), where);
                    sha = codec.lastSha256();
                } catch (VaultException ex) {
                    if (ex.kind() != VaultException.Kind.INTEGRITY) {
                        throw ex;
                    }
                    bad = ex;
                }
                for (int k = i; k < end; k++) {
                    Piece p = pieces.get(k);
                    int[] n = left.get(p.job());
                    if (bad != null) {
                        fail(p.job(), bad);
                    } else if (writePiece(p, data, sha, visit)) {
                        n[1]++;
                    }
                    if (--n[0] == 0) {
                        release(p.job(), visit, n[1], finishers);
                    }
                }
                i = end;
            }
        } finally {
            for (FileChannel ch : visit.values()) { // only after a failure that stops the run
                closeQuietly(ch);
            }
        }
        return bytes.length <= KEEP_BUFFER ? bytes : buffer; // a huge pack's array is not kept
    }

    /**
     * After the last of a job's pieces in the pack at hand: hands the file to a finisher when these
     * {@code written} pieces were its last ones, else closes its channel (a later pack reopens it).
     */
    private void release(Job job, Map<Job, FileChannel> visit, int written, ExecutorService finishers) {
        FileChannel ch = visit.remove(job);
        if (ch == null) {
            return; // never opened here: the job had ended before this pack reached it
        }
        if (fatal.get() == null && written > 0 && job.remaining.addAndGet(-written) == 0) {
            finishers.execute(() -> finish(job, ch));
        } else {
            closeQuietly(ch);
        }
    }

    /** Writes one piece; false when the job failed (now or before). */
    private boolean writePiece(Piece p, byte[] data, byte[] sha, Map<Job, FileChannel> visit) {
        Job job = p.job();
        if (data.length != job.chunks[p.index()].rawLength()) {
            fail(job, VaultException.integrity("chunk " + p.index() + " of " + job.target.version().path() + " has the wrong length"));
            return false;
        }
        try {
            FileChannel ch = visit.get(job);
            if (ch == null && !visit.containsKey(job)) {
                ch = job.open(started);
                visit.put(job, ch);
            }
            if (ch == null) {
                return false; // the job already failed
            }
            ByteBuffer b = ByteBuffer.wrap(data);
            long at = job.offsets[p.index()];
            while (b.hasRemaining()) {
                at += ch.write(b, at);
            }
            job.shas[p.index()] = sha;
            job.written.addAndGet(data.length);
            return true;
        } catch (IOException e) {
            fail(job, e);
            return false;
        }
    }

    private FileChannel openOrFail(Job job) {
        try {
            return job.open(started);
        } catch (IOException e) {
            fail(job, e);
            return null;
        }
    }

    /** Verifies, forces, dates and hands over a file whose every chunk is written; {@code ch} is open on it. */
    private void finish(Job job, FileChannel ch) {
        FileVersion v = job.target.version();
        synchronized (job) {
            if (job.ended) { // failed meanwhile
                closeQuietly(ch);
                return;
            }
        }
        try {
            try (ch) {
                MessageDigest fileSha = sha256();
                for (byte[] s : job.shas) {
                    fileSha.update(s);
                }
                if (job.written.get() != v.size() || !Arrays.equals(fileSha.digest(), v.contentHash())) {
                    throw VaultException.integrity(v.path() + " does not match its recorded content; it was not written");
                }
                if (forceEach) {
                    ch.force(false); // the data and what reading it needs (size, blocks); the rename is journaled after it
                }
            }
            Path tmp;
            synchronized (job) {
                if (job.ended) {
                    return;
                }
                tmp = job.tmp;
            }
            // Both times given and links not followed: one utimensat on the path, where setLastModifiedTime
            // opens the file, reads its attributes to keep the access time, sets and closes (4 calls).
            FileTime mtime = FileTime.from(v.mtimeNanos(), TimeUnit.NANOSECONDS);
            Files.getFileAttributeView(tmp, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(mtime, mtime, null);
            PosixModes.apply(tmp, v.mode());
            if (!job.end()) {
                return;
            }
            try {
                job.target.complete(tmp);
            } catch (IOException | RuntimeException e) {
                job.deleteTmp();
                if (e instanceof RuntimeException re && !(re instanceof VaultException ve && ve.kind() == VaultException.Kind.INTEGRITY)) {
                    throw re;
                }
                job.target.failed(e);
            }
        } catch (IOException | VaultException e) {
            if (e instanceof VaultException ve && ve.kind() != VaultException.Kind.INTEGRITY) {
                fatal.compareAndSet(null, ve);
            }
            fail(job, e);
        } catch (RuntimeException e) {
            fatal.compareAndSet(null, e);
            fail(job, e);
        }
    }

    private static void fail(Job job, Exception e) {
        if (job.end()) {
            job.deleteTmp();
            job.target.failed(e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was lost: the file is only reopened or deleted later
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
