package org.ciphersync.crypto.aead;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes the header and the segments of a {@link StreamSealer} to an underlying stream. A full
 * segment is held back until more data arrives, because only {@link #close()} knows which segment
 * is the last. {@code close()} seals the final segment and closes the underlying stream; a stream
 * that is never closed is, to a reader, truncated.
 */
public final class EncryptingOutputStream extends OutputStream {
    private final OutputStream out;
    private final StreamSealer sealer;
    private final byte[] plain;
    private final byte[] sealed;
    private int filled;
    private boolean headerWritten;
    private boolean closed;

    public EncryptingOutputStream(OutputStream out, StreamSealer sealer) {
        this.out = Objects.requireNonNull(out, "out == null");
        this.sealer = Objects.requireNonNull(sealer, "sealer == null");
        this.plain = new byte[sealer.segmentSize()];
        this.sealed = new byte[sealer.segmentSize() + StreamSealer.TAG_LENGTH];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("encrypting stream is closed");
        }
        writeHeaderOnce();
        while (len > 0) {
            if (filled == plain.length) {
                emit(false);
            }
            int n = Math.min(len, plain.length - filled);
            System.arraycopy(b, off, plain, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    private void writeHeaderOnce() throws IOException {
        if (!headerWritten) {
            out.write(sealer.header());
            headerWritten = true;
        }
    }

    private void emit(boolean last) throws IOException {
        int n = sealer.sealSegment(plain, 0, filled, last, sealed, 0);
        out.write(sealed, 0, n);
        filled = 0;
    }

    /** Flushes the underlying stream; a held-back segment stays held back (it may be the last). */
    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            writeHeaderOnce();
            emit(true);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }
}
