package org.ciphersync.vault.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * Consumes the stream of a {@link BlobStore#load load} and turns it into a result.
 *
 * <p>A reader MAY be called more than once for one load: the retry decorator calls it again from
 * the first byte of the range when the transfer fails with a transient error. It therefore MUST
 * NOT keep side effects of a failed call (write into a fresh buffer, not an outer one).
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface BlobReader<T> {
    /** Reads from {@code in} (which the store closes) and returns the result. */
    T read(InputStream in) throws IOException;
}
