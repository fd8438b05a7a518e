package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a whole restore durable at once. {@code vault restore} writes only new files into a target
 * folder the user chose, records no state, and is run again into an empty folder after any
 * interruption, so it need not force every file before its rename (18,745 forced writes were a third
 * of a `mixed` restore's time; restic and rsync force none). Before the command reports success,
 * the target's file system is synchronized once ({@code sync -f}, which is {@code syncfs(2)}); where
 * that is not available each written file is forced instead. Down-sync does not use this: it
 * replaces files in the user's home and records what it wrote, so each file is forced before its
 * rename.
 *
 * <p>A file system holds written data in the page cache for up to 30 s before writing it back
 * (and a 1 GiB restore on a machine with 24 GiB never reaches the background threshold), so one
 * synchronization at the end would wait for the whole restore to reach the disk, after the CPU
 * work is done: 2.8 s for `mixed` here. {@link Writeback} starts the write-back early instead, in
 * the background, every {@value #WRITEBACK_EVERY_MIB} MiB, so the disk works while the restore
 * still decrypts, and the final synchronization waits only for the rest.
 */
final class Durability {
    /** Write-back starts after this many MiB written since the last start. */
    static final int WRITEBACK_EVERY_MIB = 16;

    private Durability() {
    }

    /**
     * Makes {@code written} durable: one synchronization of the file system holding {@code folder},
     * else a forced write of each file ({@code written}'s folders and links are passed over).
     *
     * @throws IOException when neither worked
     */
    static void flush(Path folder, List<Path> written) throws IOException {
        if (written.isEmpty() || syncFileSystem(folder)) {
            return;
        }
        for (Path p : written) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
                continue;
            }
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(false);
            }
        }
    }

    /** Runs {@code sync -f folder}; false when it is missing, fails or takes more than 10 minutes. */
    static boolean syncFileSystem(Path folder) {
        try {
            return finished(startSync(folder));
        } catch (IOException e) {
            return false;
        }
    }

    private static Process startSync(Path folder) throws IOException {
        return new ProcessBuilder("sync", "-f", folder.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Waits for {@code p}: true when it exits 0 within 10 minutes. */
    private static boolean finished(Process p) {
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts the write-back of a folder's file system early: {@link #written} counts the bytes
     * written; every {@value #WRITEBACK_EVERY_MIB} MiB it starts {@code sync -f} in the background
     * unless one is still running. Best effort and no guarantee: {@link #flush} still decides
     * durability. {@link #close} waits for a running synchronization, so none outlives the command.
     */
    static final class Writeback implements AutoCloseable {
        private final Path folder;
        private final long every;
        private long pending;
        private Process running;
        private boolean unavailable;
        private int starts;

        Writeback(Path folder) {
            this(folder, (long) WRITEBACK_EVERY_MIB << 20);
        }

        Writeback(Path folder, long everyBytes) {
            this.folder = folder;
            this.every = everyBytes;
        }

        /** Counts {@code bytes} written; may start a synchronization (never waits for one). */
        synchronized void written(long bytes) {
            pending += bytes;
            if (pending < every || unavailable || running != null && running.isAlive()) {
                return;
            }
            pending = 0;
            try {
                running = startSync(folder);
                starts++;
            } catch (IOException e) {
                unavailable = true; // no sync(1): the final flush forces each file instead
            }
        }

        /** How many synchronizations were started (for tests). */
        synchronized int starts() {
            return starts;
        }

        @Override
        public void close() {
            Process p;
            synchronized (this) {
                p = running;
                running = null;
            }
            if (p != null) {
                finished(p);
            }
        }
    }
}
