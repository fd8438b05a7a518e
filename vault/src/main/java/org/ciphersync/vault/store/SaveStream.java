package org.ciphersync.vault.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The stream a store uploads from: it yields the bytes of a {@link BlobSource} and fails with a
 * {@code PERMANENT} {@link StoreException} when the source runs short of or beyond its declared
 * length, so no backend ever commits an object of the wrong size.
 *
 * <p>The length check happens before the last byte is handed out: a short source fails at its
 * end-of-stream, a long source fails when the byte after the declared length can be read.
 * Backends MUST commit (rename, complete upload) only after this stream reported end-of-stream.
 */
public final class SaveStream extends FilterInputStream {

    private final BlobName name;
    private final long declared;
    private long read;
    private boolean checkedEnd;

    private SaveStream(InputStream in, BlobName name, long declared) {
        super(in);
        this.name = name;
        this.declared = declared;
    }

    /** Opens {@code source} for uploading {@code name}. */
    public static SaveStream open(BlobName name, BlobSource source) throws StoreException {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(source, "source == null");
        long length = source.length();
        if (length < 0) {
            throw StoreException.permanent("source for " + name + " declares negative length " + length, null);
        }
        try {
            return new SaveStream(Objects.requireNonNull(source.open(), "source.open() returned null"), name, length);
        } catch (IOException e) {
            throw StoreException.permanent("cannot open the content for " + name + ": " + e.getMessage(), e);
        }
    }

    /** The declared length. */
    public long length() {
        return declared;
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
        long remaining = declared - read;
        if (remaining == 0) {
            checkEnd();
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, remaining));
        } catch (IOException e) {
            throw StoreException.permanent("reading the content for " + name + " failed after " + read
                    + " bytes: " + e.getMessage(), e);
        }
        if (n < 0) {
            throw StoreException.permanent("the content for " + name + " ended after " + read
                    + " bytes but declared " + declared, null);
        }
        read += n;
        return n;
    }

    private void checkEnd() throws StoreException {
        if (checkedEnd) {
            return;
        }
        int extra;
        try {
            extra = in.read();
        } catch (IOException e) {
            throw StoreException.permanent("reading the content for " + name + " failed at its end: " + e.getMessage(), e);
        }
        if (extra >= 0) {
            throw StoreException.permanent("the content for " + name + " is longer than its declared " + declared + " bytes", null);
        }
        checkedEnd = true;
    }

    /** Reads to the end, verifying the length; for backends that buffer the whole object. */
    public byte[] readAllChecked() throws IOException {
        if (declared > Integer.MAX_VALUE - 16) {
            throw StoreException.permanent("object " + name + " of " + declared + " bytes does not fit in memory", null);
        }
        byte[] all = new byte[(int) declared];
        int pos = 0;
        while (pos < all.length) {
            int n = read(all, pos, all.length - pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        checkEnd();
        return all;
    }

    /** Verifies that nothing follows the declared length; call before committing. */
    public void verifyComplete() throws StoreException {
        if (read != declared) {
            throw StoreException.permanent("the content for " + name + " ended after " + read + " bytes but declared " + declared, null);
        }
        checkEnd();
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("skip on an upload stream");
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
