package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ciphersync.vault.VaultException;

/**
 * Keeps two operations of the same computer from running at once (they would both take the next
 * commit number; prune relies on it too, docs/design.md (Vault) §7). Computers never lock each
 * other: this lock is a local file.
 */
public final class LocalLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private LocalLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir}'s lock file, or refuses (exit 3) when another operation of this computer holds it. */
    public static LocalLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new VaultException(VaultException.Kind.REFUSED, "another vault operation of this computer is running ("
                    + dir.resolve("lock") + " is locked); wait for it to finish");
        }
        return new LocalLock(ch, l);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
