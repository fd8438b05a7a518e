package org.ciphersync.vault.store;

/**
 * A part of an object to read: {@code length} bytes starting at {@code offset}, or everything
 * from {@code offset} to the end when {@code length} is {@link #TO_END}.
 *
 * @param offset first byte, {@code >= 0}
 * @param length number of bytes, {@code >= 0}, or {@link #TO_END}
 */
public record ByteRange(long offset, long length) {

    /** Marker length meaning "up to the end of the object". */
    public static final long TO_END = -1;

    private static final ByteRange ALL = new ByteRange(0, TO_END);

    public ByteRange {
        if (offset < 0) {
            throw new IllegalArgumentException("range offset " + offset + " is negative");
        }
        if (length < 0 && length != TO_END) {
            throw new IllegalArgumentException("range length " + length + " is negative");
        }
        if (length > 0 && offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("range offset " + offset + " + length " + length + " overflows");
        }
    }

    /** The whole object. */
    public static ByteRange all() {
        return ALL;
    }

    /** {@code length} bytes from {@code offset}. */
    public static ByteRange of(long offset, long length) {
        return new ByteRange(offset, length);
    }

    /** Everything from {@code offset} to the end. */
    public static ByteRange from(long offset) {
        return new ByteRange(offset, TO_END);
    }

    /** Whether this range reads to the end of the object. */
    public boolean toEnd() {
        return length == TO_END;
    }

    /** Whether this is the whole object. */
    public boolean isAll() {
        return offset == 0 && length == TO_END;
    }

    /** The exclusive end offset; only for bounded ranges. */
    public long end() {
        if (toEnd()) {
            throw new IllegalStateException("range from " + offset + " to the end has no fixed end");
        }
        return offset + length;
    }

    /** The HTTP {@code Range} header value for this range (bounded ranges MUST be non-empty). */
    public String httpHeader() {
        return toEnd() ? "bytes=" + offset + "-" : "bytes=" + offset + "-" + (offset + length - 1);
    }

    @Override
    public String toString() {
        return toEnd() ? "[" + offset + "..end)" : "[" + offset + ".." + (offset + length) + ")";
    }
}
