package org.ciphersync.vault.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A folder of objects on some storage: the only thing the vault format needs from a backend.
 *
 * <p>Modelled on restic's {@code backend.Backend}. Implementations MUST be safe for concurrent
 * use by several threads. Every method reports failures as a {@link StoreException} whose
 * {@link StoreException#kind() kind} tells whether repeating the call can help; unexpected
 * runtime exceptions are bugs. Decorators (retry, limits, logging) wrap a store without
 * changing this contract.
 *
 * <p>Storage is hostile: an implementation MUST NOT trust names or sizes it reads back beyond
 * this contract (names are re-validated with {@link BlobName#isValid}, lengths are checked).
 */
public interface BlobStore extends AutoCloseable {

    /**
     * A printable description of where the objects live, e.g. {@code sftp://alice@nas/vault}.
     * MUST NOT contain a password, key or token.
     */
    String location();

    /** What this backend guarantees; constant for the life of the store. */
    Capabilities capabilities();

    /**
     * Prepares the location for use: creates the root folder and, where the backend
     * {@linkplain Capabilities#needsParentFolders() needs them}, the type folders. Idempotent:
     * MUST succeed on an already prepared location and MUST NOT remove or alter any object.
     */
    void create() throws StoreException;

    /**
     * Stores {@code source} under {@code name}, replacing an existing object of that name.
     *
     * <p>Atomic: until this method returns normally, readers see either no object or the previous
     * one, never a partial one; after a failure (including a source stream that throws or yields
     * a length other than {@link BlobSource#length()}), no new content is visible under
     * {@code name}. Backends write to a temporary name and rename, or use a backend-native atomic
     * put. Temporary names start with {@code '.'} and so never appear in listings. When this
     * method returns, the object is stored as durably as the backend allows.
     *
     * @throws StoreException {@code PERMANENT} when the source length is wrong or exceeds
     *                        {@link Capabilities#maxObjectSize()}; {@code TRANSIENT} on I/O trouble
     */
    void save(BlobName name, BlobSource source) throws StoreException;

    /**
     * Stores {@code source} under {@code name} unless an object of that name exists; returns whether
     * it stored it (false: nothing was written). Atomic like {@link #save}.
     *
     * <p>The default asks for the object first and then saves it, so a writer of the same name could
     * slip in between; a backend that can refuse an existing name in the request that stores the
     * object overrides this (WebDAV: {@code MOVE} with {@code Overwrite: F}), which also saves the
     * request that asks. A retried call whose first attempt stored the object but lost the answer
     * returns false: a caller that must tell its own object from another's compares the content.
     */
    default boolean saveIfAbsent(BlobName name, BlobSource source) throws StoreException {
        if (exists(name)) {
            return false;
        }
        save(name, source);
        return true;
    }

    /**
     * Streams {@code range} of the object to {@code reader} and returns the reader's result.
     *
     * <p>The reader sees exactly the bytes of the range: a bounded range yields {@code length}
     * bytes, a {@link ByteRange#toEnd() to-end} range the rest of the object. A stream that ends
     * early throws a {@link StoreException}. The store closes the stream after the reader returns.
     * The reader may be called again by a retrying decorator (see {@link BlobReader}).
     *
     * @throws StoreException {@code NOT_FOUND} when there is no such object; {@code PERMANENT}
     *                        when the range ends after the object ({@code offset + length > size},
     *                        or {@code offset > size} for a to-end range); the stream handed to the
     *                        reader throws only {@code StoreException}s
     * @throws IOException    other exceptions of the reader propagate unchanged and are never retried
     */
    <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException;

    /**
     * The size of an object.
     *
     * @throws StoreException {@code NOT_FOUND} when there is no such object
     */
    BlobInfo stat(BlobName name) throws StoreException;

    /**
     * Reports every object of {@code type} to {@code consumer}, in no particular order.
     * Files whose names are not {@linkplain BlobName#isValid valid} for the type (temporary files,
     * foreign files) are skipped silently. A missing type folder is an empty listing. Objects
     * saved or deleted while the listing runs may or may not be reported.
     */
    void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException;

    /**
     * Removes an object. Idempotent: removing a missing object succeeds, so that a retried
     * delete whose first attempt reached the server does not fail.
     */
    void delete(BlobName name) throws StoreException;

    /** Releases connections, child processes and threads. Further calls MAY fail. Idempotent. */
    @Override
    void close() throws StoreException;

    /** Whether the object exists; {@code stat} without the exception. */
    default boolean exists(BlobName name) throws StoreException {
        try {
            stat(name);
            return true;
        } catch (StoreException e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }

    /** The whole listing of a type as a list. */
    default List<BlobInfo> listAll(BlobType type) throws StoreException {
        List<BlobInfo> all = new ArrayList<>();
        list(type, all::add);
        return all;
    }

    /** Loads a range into memory; MUST only be used for ranges known to fit in an array. */
    default byte[] loadBytes(BlobName name, ByteRange range) throws IOException {
        return load(name, range, InputStream::readAllBytes);
    }

    /** Loads a whole object into memory. */
    default byte[] loadBytes(BlobName name) throws IOException {
        return loadBytes(name, ByteRange.all());
    }
}
