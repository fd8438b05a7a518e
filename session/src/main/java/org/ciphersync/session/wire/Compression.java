package org.ciphersync.session.wire;

import com.github.luben.zstd.Zstd;

/**
 * zstd for the session's wire formats, strict on the receiving side: compressed data must expand to
 * exactly the length its sender declared (checked against a bound before anything is allocated), and
 * every way zstd-jni reports a bad frame (an error code, or an unchecked exception) becomes a
 * {@link WireException} naming what was being read.
 */
public final class Compression {
    private Compression() {
    }

    /** {@code data} compressed at {@code level}, or null when that does not make it smaller. */
    public static byte[] compress(byte[] data, int level) {
        byte[] z = new byte[(int) Zstd.compressBound(data.length)];
        long got = Zstd.compressByteArray(z, 0, z.length, data, 0, data.length, level);
        if (Zstd.isError(got) || got >= data.length) {
            return null;
        }
        return java.util.Arrays.copyOf(z, (int) got);
    }

    /**
     * Expands {@code len} bytes of {@code src} from {@code off}, which must decompress to exactly
     * {@code declared} bytes, at most {@code max}.
     *
     * @throws WireException naming {@code what} if the declared length is above {@code max} or the data does
     *                       not expand to exactly that length
     */
    public static byte[] expandExactly(byte[] src, int off, int len, long declared, long max, String what) throws WireException {
        if (declared < 0 || declared > max) {
            throw new WireException(what + " claims " + declared + " bytes, more than " + max);
        }
        byte[] out = new byte[(int) declared];
        long got;
        try {
            got = Zstd.decompressByteArray(out, 0, out.length, src, off, len);
        } catch (RuntimeException e) { // zstd-jni reports a malformed or oversized frame by throwing
            got = -1;
        }
        if (got < 0 || Zstd.isError(got) || got != declared) {
            throw new WireException(what + " does not decompress to " + declared + " bytes");
        }
        return out;
    }
}
