package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.ciphersync.core.fs.PosixMode;

/**
 * The POSIX permission bits the vault records ({@code rwxrwxrwx} as an int, e.g. {@code 0755}) and
 * applies, or -1 where the file system has none. Links are never followed.
 */
final class PosixModes {
    private PosixModes() {
    }

    /** The permission bits of {@code path}, or -1 when the file system has no POSIX permissions. */
    static int of(Path path) {
        try {
            return PosixMode.bits(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        } catch (UnsupportedOperationException | IOException e) {
            return -1;
        }
    }

    /** Sets {@code mode} on {@code path}; nothing when {@code mode} is -1 or the file system has no POSIX permissions. */
    static void apply(Path path, int mode) throws IOException {
        if (mode < 0) {
            return;
        }
        try {
            Files.setPosixFilePermissions(path, PosixMode.permissions(mode));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    /**
     * Sets a folder's recorded mode, then its mtime (the mode first: a folder without write
     * permission still accepts a new mtime from its owner) and returns the mtime it then has.
     */
    static long applyFolder(Path dir, int mode, long mtimeNanos) throws IOException {
        apply(dir, mode);
        Files.setLastModifiedTime(dir, FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS));
        return Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS);
    }
}
