package org.ciphersync.vault.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The stream a store hands to a {@link BlobReader}: it delivers exactly the expected number of
 * bytes, never more, and reports every failure as a {@link StoreException}.
 *
 * <p>Backends wrap their raw stream in one of these so that a connection cut mid-transfer
 * surfaces as a {@code TRANSIENT} error (which the retry decorator repeats) and a short object
 * as a {@code PERMANENT} one, instead of a silently truncated read.
 */
public final class LoadStream extends FilterInputStream {
    /**
     * The most one read asks of the raw stream. The JDK reads a file channel into a heap array
     * through a temporary native buffer as large as the request and replaces that buffer whenever
     * a larger request comes: a 16 MiB pack read in one call cost 16 MiB of fresh, zeroed pages.
     * Slices of 1 MiB reuse one cached buffer per thread.
     */
    static final int MAX_READ = 1 << 20;


    private final String what;
    private final long expected;
    private final boolean shortIsPermanent;
    private long delivered;

    private LoadStream(InputStream in, String what, long expected, boolean shortIsPermanent) {
        super(Objects.requireNonNull(in, "in == null"));
        this.what = what;
        this.expected = expected;
        this.shortIsPermanent = shortIsPermanent;
    }

    /**
     * Wraps {@code in}, which MUST yield {@code expected} bytes ({@code -1}: unknown, read to EOF).
     *
     * @param what             names the object and range for messages, e.g. {@code "data/ab/ab12 [0..10)"}
     * @param shortIsPermanent whether an early end means the object is shorter than the range
     *                         (local files, SFTP) rather than a cut connection (HTTP)
     */
    public static InputStream exactly(InputStream in, String what, long expected, boolean shortIsPermanent) {
        return new LoadStream(in, what, expected, shortIsPermanent);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        long remaining = expected < 0 ? Long.MAX_VALUE : expected - delivered;
        if (remaining == 0) {
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, (int) Math.min(Math.min(len, remaining), MAX_READ));
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw StoreException.transientFailure("reading " + what + " failed after " + delivered + " bytes: " + e.getMessage(), e);
        }
        if (n < 0) {
            if (expected >= 0) {
                String message = "reading " + what + " ended after " + delivered + " of " + expected + " bytes";
                throw shortIsPermanent ? StoreException.permanent(message + ": the object is shorter than the range", null)
                        : StoreException.transientFailure(message, null);
            }
            return -1;
        }
        delivered += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        try {
            return (int) Math.min(in.available(), expected < 0 ? Integer.MAX_VALUE : expected - delivered);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } catch (IOException e) {
            // The bytes the reader wanted were delivered; a failing close of a spent stream is noise.
        }
    }
}
