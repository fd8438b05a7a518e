package org.ciphersync.relay.protocol.message;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.ciphersync.relay.protocol.frame.FrameException;

/** Strict reader of structured bodies: every read is bounds-checked and names the field it failed on. */
final class BodyReader {

    private final ByteBuffer b;

    BodyReader(byte[] body) {
        this.b = ByteBuffer.wrap(body);
    }

    private void need(int n, String field) throws FrameException {
        if (b.remaining() < n) {
            throw new FrameException("body truncated at " + field + " (needs " + n + " bytes, " + b.remaining() + " left)");
        }
    }

    int u8(String field) throws FrameException {
        need(1, field);
        return b.get() & 0xff;
    }

    boolean bool(String field) throws FrameException {
        int v = u8(field);
        if (v > 1) {
            throw new FrameException(field + " flag " + v + " is neither 0 nor 1");
        }
        return v == 1;
    }

    /** u32 that MUST fit a positive Java int (member and candidate ids). */
    int id(String field) throws FrameException {
        need(4, field);
        int v = b.getInt();
        if (v <= 0) {
            throw new FrameException(field + " " + Integer.toUnsignedString(v) + " is not a valid id");
        }
        return v;
    }

    long u63(String field) throws FrameException {
        need(8, field);
        long v = b.getLong();
        if (v < 0) {
            throw new FrameException(field + " " + Long.toUnsignedString(v) + " exceeds 2^63-1");
        }
        return v;
    }

    byte[] bytes(String field, int max) throws FrameException {
        need(2, field + " length");
        int len = b.getShort() & 0xffff;
        if (len > max) {
            throw new FrameException(field + " length " + len + " exceeds " + max);
        }
        need(len, field);
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }

    byte[] fixed(String field, int len) throws FrameException {
        need(len, field);
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }

    /** Remaining bytes as an opaque blob. */
    byte[] rest() {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    String text(String field, int maxChars) throws FrameException {
        byte[] raw = bytes(field, maxChars * 4);
        String s;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw));
            s = cb.toString();
        } catch (CharacterCodingException e) {
            throw new FrameException(field + " is not valid UTF-8");
        }
        try {
            return Texts.check(field, s, maxChars);
        } catch (IllegalArgumentException e) {
            throw new FrameException(e.getMessage());
        }
    }

    void end(String what) throws FrameException {
        if (b.hasRemaining()) {
            throw new FrameException(what + " body has " + b.remaining() + " trailing bytes");
        }
    }
}
