package org.ciphersync.core.fs;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ciphersync.core.path.RelPath;

/**
 * The file system below one data node's root, as the engine sees it. Every path is relative to
 * the root and already validated ({@link RelPath}); implementations MUST NOT follow symbolic links
 * for any operation (a link is an entry of type {@link EntryType#SYMLINK}, never its target), so
 * no operation can reach outside the root.
 *
 * <p>Implementations: {@link LocalFileTree} (NIO), {@link MemoryFileTree} (strict, in memory,
 * optionally case-insensitive) and {@link FaultyFileTree} (a decorator that fails chosen
 * operations). Errors are {@link IOException}s; a missing entry is {@link NoSuchFileException}.
 */
public interface FileTree {

    /** A human-readable description of the root (a folder path), for messages. */
    String describe();

    /** Whether names that differ only by case are distinct entries on this tree. */
    boolean caseSensitive();

    /** The entry's metadata, without following links; empty when it does not exist. */
    Optional<FileAttrs> stat(RelPath path) throws IOException;

    /**
     * The entries of a directory, in no particular order, without {@code .} and {@code ..}.
     * Names that are not valid path segments are still listed; the scan reports them as skipped.
     */
    List<DirEntry> list(RelPath dir) throws IOException;

    /** Opens a regular file for reading. Fails for links and directories. */
    SeekableByteChannel openRead(RelPath file) throws IOException;

    /**
     * Creates a new, empty file under a name that does not exist yet (for temporary files) and
     * opens it for writing. The parent MUST exist. Fails with
     * {@link java.nio.file.FileAlreadyExistsException} when the name is taken.
     */
    SeekableByteChannel createNew(RelPath file) throws IOException;

    /** Opens an existing regular file for reading and writing (in-place edits of a temp copy). */
    SeekableByteChannel openWrite(RelPath file) throws IOException;

    /** Forces a file's content and metadata to stable storage. */
    void fsync(RelPath file) throws IOException;

    /**
     * Forces a file's content and metadata to stable storage through a channel this tree opened on
     * it ({@link #createNew}, {@link #openWrite}) and that is still open; trees that can, use the
     * channel instead of opening the file again. The default is {@link #fsync(RelPath)}.
     */
    default void fsync(RelPath file, SeekableByteChannel open) throws IOException {
        fsync(file);
    }

    /** Forces a directory's entries (creations, renames) to stable storage, where supported. */
    void fsyncDirectory(RelPath dir) throws IOException;

    /**
     * Renames atomically, replacing an existing file at {@code to}. Both paths are on this tree;
     * the parent of {@code to} MUST exist.
     */
    void rename(RelPath from, RelPath to) throws IOException;

    /** Deletes a file, a link or an empty directory. {@link NoSuchFileException} when absent. */
    void delete(RelPath path) throws IOException;

    /** Creates a directory and any missing parents; succeeds when it already exists. */
    void createDirectories(RelPath dir) throws IOException;

    /**
     * Sets the modification time (nanoseconds since the epoch), not following links. The access
     * time, where the tree has one, becomes the current time (keeping it would cost a stat).
     */
    void setMtime(RelPath path, long mtimeNanos) throws IOException;

    /** Sets the permission bits where supported; a no-op returning false where not. */
    boolean setPosixMode(RelPath path, int mode) throws IOException;

    /** Reads a link's target text (never resolved). */
    String readLink(RelPath link) throws IOException;

    /** Optional abilities, so callers never test implementation classes. */
    Set<Capability> capabilities();

    enum Capability {
        /** {@link #setPosixMode} works. */
        POSIX_MODE,
        /** {@link FileAttrs#fileKey()} is meaningful. */
        FILE_KEY,
        /** Files can share data blocks (reflink/clone), so unchanged chunks cost no writes. */
        CLONE
    }
}
