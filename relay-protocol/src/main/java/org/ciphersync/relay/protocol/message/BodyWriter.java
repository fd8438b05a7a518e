package org.ciphersync.relay.protocol.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writer matching {@link BodyReader}: u8, u32, u64 big-endian; u16-length-prefixed bytes and UTF-8 text. */
final class BodyWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    BodyWriter u8(int v) {
        out.write(v);
        return this;
    }

    BodyWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    BodyWriter u32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    BodyWriter u64(long v) {
        u32((int) (v >>> 32));
        return u32((int) v);
    }

    BodyWriter bytes(byte[] v) {
        if (v.length > 0xffff) {
            throw new IllegalArgumentException("field of " + v.length + " bytes exceeds 65535");
        }
        out.write(v.length >>> 8);
        out.write(v.length);
        out.writeBytes(v);
        return this;
    }

    BodyWriter fixed(byte[] v) {
        out.writeBytes(v);
        return this;
    }

    BodyWriter text(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
