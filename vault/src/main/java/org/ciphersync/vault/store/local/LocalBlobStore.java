package org.ciphersync.vault.store.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;

import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobReader;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.Capabilities;
import org.ciphersync.vault.store.LoadStream;
import org.ciphersync.vault.store.SaveStream;
import org.ciphersync.vault.store.StoreException;

/**
 * A {@link BlobStore} in a folder of the local file system (or a mounted network share).
 *
 * <p>Saves write {@code .<name>.tmp-<random>} next to the final file, {@code fsync} it, rename it
 * over the final name with an atomic move and {@code fsync} the folder, so a crash at any moment
 * leaves either the old object or the new one; leftover temporary files start with a dot and are
 * ignored by listings.
 */
public final class LocalBlobStore implements BlobStore {

    private static final Capabilities CAPABILITIES = new Capabilities(true, true, true, Long.MAX_VALUE, true, 4);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;

    /** A store rooted at {@code root}; nothing is touched until {@link #create()} or a save. */
    public LocalBlobStore(Path root) {
        this.root = Objects.requireNonNull(root, "root == null").toAbsolutePath().normalize();
    }

    /** The vault folder. */
    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public void create() throws StoreException {
        try {
            Files.createDirectories(root);
            for (BlobType type : BlobType.values()) {
                Files.createDirectories(root.resolve(type.folder()));
            }
        } catch (IOException e) {
            throw classify("creating the vault folders in " + root, e);
        }
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        Path target = path(name);
        Path folder = target.getParent();
        Path temp = folder.resolve("." + name.name() + ".tmp-" + HexFormat.of().formatHex(randomBytes()));
        try (SaveStream in = SaveStream.open(name, source)) {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                in.transferTo(out);
                in.verifyComplete();
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw StoreException.permanent("the file system of " + root + " cannot rename atomically; choose another folder", e);
            }
            forceFolder(folder);
        } catch (StoreException e) {
            deleteQuietly(temp);
            throw e;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw classify("saving " + name + " in " + root, e);
        }
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path(name), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw StoreException.notFound(name, location());
        } catch (IOException e) {
            throw classify("opening " + name + " in " + root, e);
        }
        try (channel) {
            long size = channel.size();
            long end = range.toEnd() ? size : range.end();
            if (range.offset() > size || end > size) {
                throw StoreException.permanent("range " + range + " of " + name + " exceeds its size " + size, null);
            }
            channel.position(range.offset());
            try (InputStream in = LoadStream.exactly(Channels.newInputStream(channel), name + " " + range,
                    end - range.offset(), true)) {
                return reader.read(in);
            }
        }
    }

    @Override
    public BlobInfo stat(BlobName name) throws StoreException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path(name), BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw StoreException.permanent(name + " in " + root + " is not a regular file", null);
            }
            return new BlobInfo(name, attributes.size());
        } catch (NoSuchFileException e) {
            throw StoreException.notFound(name, location());
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw classify("reading the size of " + name + " in " + root, e);
        }
    }

    @Override
    public void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException {
        Path folder = root.resolve(type.folder());
        try {
            if (type.fanOut()) {
                try (DirectoryStream<Path> subs = Files.newDirectoryStream(folder)) {
                    for (Path sub : subs) {
                        String prefix = sub.getFileName().toString();
                        if (prefix.length() == 2 && Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
                            listFolder(type, sub, prefix, consumer);
                        }
                    }
                }
            } else {
                listFolder(type, folder, null, consumer);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            // A missing type folder is an empty listing.
        } catch (IOException e) {
            throw classify("listing " + type.folder() + " in " + root, e);
        }
    }

    private static void listFolder(BlobType type, Path folder, String prefix, Consumer<BlobInfo> consumer) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (!BlobName.isValid(type, fileName) || (prefix != null && !fileName.startsWith(prefix))) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // deleted while listing
                }
                if (attributes.isRegularFile()) {
                    consumer.accept(new BlobInfo(BlobName.of(type, fileName), attributes.size()));
                }
            }
        } catch (NoSuchFileException e) {
            // folder deleted while listing
        }
    }

    @Override
    public void delete(BlobName name) throws StoreException {
        try {
            Files.deleteIfExists(path(name));
        } catch (IOException e) {
            throw classify("deleting " + name + " in " + root, e);
        }
    }

    @Override
    public void close() {
        // Nothing to release: every operation opens and closes its own files.
    }

    private Path path(BlobName name) {
        return root.resolve(name.folder()).resolve(name.name());
    }

    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open folders; the rename is still atomic there.
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // A leftover temporary file is invisible to listings; a later prune may remove it.
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Local failures that will not heal by themselves are permanent; the rest may be a flaky mount. */
    static StoreException classify(String what, IOException e) {
        if (e instanceof AccessDeniedException) {
            return StoreException.permanent(what + " failed: permission denied on " + e.getMessage()
                    + "; check the folder's owner and permissions", e);
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
        if (reason.contains("No space left") || reason.contains("Read-only file system") || e instanceof NotDirectoryException
                || e instanceof java.nio.file.FileAlreadyExistsException) {
            return StoreException.permanent(what + " failed: " + reason, e);
        }
        return StoreException.transientFailure(what + " failed: " + e, e);
    }

    @Override
    public String toString() {
        return location();
    }
}
