package org.ciphersync.session.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict big-endian reader: every length is checked against the bytes present and against a
 * caller-given maximum before anything is allocated; text must be valid UTF-8 without control
 * characters. The only failure is {@link WireException} naming the field.
 */
public final class WireReader {
    private final byte[] data;
    private int pos;
    private final int end;

    public WireReader(byte[] data) {
        this(data, 0, data.length);
    }

    public WireReader(byte[] data, int off, int len) {
        this.data = data;
        this.pos = off;
        this.end = off + len;
    }

    private void need(String field, int n) throws WireException {
        if (n < 0 || end - pos < n) {
            throw new WireException(field + " is truncated (needs " + n + " bytes, " + (end - pos) + " left)");
        }
    }

    public int u8(String field) throws WireException {
        need(field, 1);
        return data[pos++] & 0xff;
    }

    public long u32(String field) throws WireException {
        need(field, 4);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (data[pos++] & 0xff);
        }
        return v;
    }

    /** A u32 that must lie in {@code 1..Integer.MAX_VALUE} (member ids). */
    public int id(String field) throws WireException {
        long v = u32(field);
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new WireException(field + " " + v + " is not a member id");
        }
        return (int) v;
    }

    public long u64(String field) throws WireException {
        need(field, 8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[pos++] & 0xff);
        }
        return v;
    }

    public byte[] raw(String field, int n) throws WireException {
        need(field, n);
        byte[] b = new byte[n];
        System.arraycopy(data, pos, b, 0, n);
        pos += n;
        return b;
    }

    /** Skips {@code n} bytes (a field read in place through {@link #position()}). */
    public void skip(String field, int n) throws WireException {
        need(field, n);
        pos += n;
    }

    public byte[] bytes(String field, int max) throws WireException {
        need(field + " length", 2);
        int n = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        if (n > max) {
            throw new WireException(field + " of " + n + " bytes exceeds " + max);
        }
        return raw(field, n);
    }

    public String text(String field, int maxBytes) throws WireException {
        byte[] b = bytes(field, maxBytes);
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new WireException(field + " is not valid UTF-8");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new WireException(field + " contains a control character at index " + i);
            }
        }
        return s;
    }

    /** Bytes not read yet. */
    public int remaining() {
        return end - pos;
    }

    public int position() {
        return pos;
    }

    /** Fails unless every byte was consumed. */
    public void end(String what) throws WireException {
        if (pos != end) {
            throw new WireException(what + " has " + (end - pos) + " unexpected trailing bytes");
        }
    }
}
