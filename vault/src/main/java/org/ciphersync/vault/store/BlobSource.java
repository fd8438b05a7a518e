package org.ciphersync.vault.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The content of an object to save: a known length and a stream that can be opened again.
 *
 * <p>Re-opening is what lets the retry decorator repeat a failed upload (restic's
 * {@code RewindReader}). Every call of {@link #open()} MUST return a fresh stream over the same
 * {@link #length()} bytes. A stream that ends early or runs long makes the save fail.
 */
public interface BlobSource {

    /** The exact number of bytes every opened stream yields, {@code >= 0}. */
    long length();

    /** Opens a new stream from the first byte; the caller closes it. */
    InputStream open() throws IOException;

    /** A source over an array; the array MUST NOT change while it is being saved. */
    static BlobSource of(byte[] bytes) {
        return of(bytes, Objects.requireNonNull(bytes, "bytes == null").length);
    }

    /**
     * A source over the first {@code length} bytes of an array (a reused buffer need not be copied
     * to its exact size); those bytes MUST NOT change while they are being saved.
     */
    static BlobSource of(byte[] bytes, int length) {
        return new OfArray(bytes, length);
    }

    /**
     * A source over the first {@code length} bytes of an array. A store that sends a whole object
     * from memory may use the array itself instead of reading a copy through {@link #open()}; the
     * bytes MUST NOT change while they are being saved.
     */
    record OfArray(byte[] array, int size) implements BlobSource {
        public OfArray {
            Objects.requireNonNull(array, "array == null");
            Objects.checkFromIndexSize(0, size, array.length);
        }

        @Override
        public long length() {
            return size;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(array, 0, size);
        }

        @Override
        public String toString() {
            return "bytes(" + size + ")";
        }
    }

    /** A source over a file whose size is taken now; the file MUST NOT change while it is being saved. */
    static BlobSource of(Path file) throws IOException {
        Objects.requireNonNull(file, "file == null");
        long size = Files.size(file);
        return new BlobSource() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }

            @Override
            public String toString() {
                return "file(" + size + ")";
            }
        };
    }
}
