package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.channels.FileChannel;
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
 */
final class Durability {
    private Durability() {
    }

    /**
     * Makes {@code written} durable: one synchronization of the file system holding {@code folder},
     * else a forced write of each file.
     *
     * @throws IOException when neither worked
     */
    static void flush(Path folder, List<Path> written) throws IOException {
        if (written.isEmpty() || syncFileSystem(folder)) {
            return;
        }
        for (Path p : written) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(false);
            }
        }
    }

    /** Runs {@code sync -f folder}; false when it is missing, fails or takes more than 10 minutes. */
    static boolean syncFileSystem(Path folder) {
        try {
            Process p = new ProcessBuilder("sync", "-f", folder.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
