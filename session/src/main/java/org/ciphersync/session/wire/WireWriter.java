package org.ciphersync.session.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Big-endian writer for the session's own formats; {@code text} and {@code bytes} are u16-length-prefixed. */
public final class WireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    public WireWriter u8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("u8 value " + v + " is out of range");
        }
        out.write(v);
        return this;
    }

    public WireWriter u32(long v) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException("u32 value " + v + " is out of range");
        }
        for (int s = 24; s >= 0; s -= 8) {
            out.write((int) (v >>> s) & 0xff);
        }
        return this;
    }

    public WireWriter u64(long v) {
        for (int s = 56; s >= 0; s -= 8) {
            out.write((int) (v >>> s) & 0xff);
        }
        return this;
    }

    public WireWriter raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public WireWriter bytes(byte[] b) {
        if (b.length > 0xffff) {
            throw new IllegalArgumentException("field of " + b.length + " bytes exceeds 65535");
        }
        out.write(b.length >>> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
        return this;
    }

    public WireWriter text(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
