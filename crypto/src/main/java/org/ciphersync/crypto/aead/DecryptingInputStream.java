package org.ciphersync.crypto.aead;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * Reads and authenticates a stream written by {@link StreamSealer} / {@link EncryptingOutputStream}.
 * Reads one byte ahead to know which segment is the last. Releases only authenticated plaintext;
 * any failure (including truncation detected at end of input) is a {@link CiphertextIOException}.
 * Memory is bounded by the segment size from the header (at most 1 MiB).
 */
public final class DecryptingInputStream extends InputStream {
    private final InputStream in;
    private final SecretBytes parentKey;
    private final AeadContext context;
    private StreamOpener opener;
    private byte[] enc;
    private int encFilled;
    private byte[] plain;
    private int plainPos;
    private int plainLen;
    private boolean eof;

    /** The parent key is used when the header is read (first {@code read}); it MUST stay open until then. */
    public DecryptingInputStream(InputStream in, SecretBytes parentKey, AeadContext context) {
        this.in = Objects.requireNonNull(in, "in == null");
        this.parentKey = Objects.requireNonNull(parentKey, "parentKey == null");
        this.context = Objects.requireNonNull(context, "context == null");
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
        while (plainPos == plainLen) {
            if (eof) {
                return -1;
            }
            nextSegment();
        }
        int n = Math.min(len, plainLen - plainPos);
        System.arraycopy(plain, plainPos, b, off, n);
        plainPos += n;
        return n;
    }

    private void nextSegment() throws IOException {
        try {
            if (opener == null) {
                byte[] header = new byte[StreamSealer.HEADER_LENGTH];
                int h = in.readNBytes(header, 0, header.length);
                if (h < header.length) {
                    throw new MalformedCiphertextException("encrypted stream is shorter than its "
                            + StreamSealer.HEADER_LENGTH + "-byte header (truncated?)");
                }
                opener = new StreamOpener(parentKey, context, header, 0);
                enc = new byte[opener.fullSegmentLength() + 1];
                plain = new byte[opener.segmentSize()];
            }
            encFilled += in.readNBytes(enc, encFilled, enc.length - encFilled);
            boolean last = encFilled < enc.length;
            int segLen = last ? encFilled : enc.length - 1;
            plainLen = opener.openSegment(enc, 0, segLen, last, plain, 0);
            plainPos = 0;
            if (last) {
                opener.finish();
                eof = true;
                encFilled = 0;
            } else {
                enc[0] = enc[enc.length - 1];
                encFilled = 1;
            }
        } catch (CryptoException e) {
            plainLen = 0;
            plainPos = 0;
            throw new CiphertextIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (plain != null) {
            Arrays.fill(plain, (byte) 0);
        }
        in.close();
    }
}
