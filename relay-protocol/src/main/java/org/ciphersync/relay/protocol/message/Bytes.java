package org.ciphersync.relay.protocol.message;

/** Argument checks shared by the message records. */
final class Bytes {

    /** Largest opaque PAKE hello in a join request. */
    static final int MAX_HELLO = 4096;
    /** Length of resume and transfer tokens. */
    static final int TOKEN_LENGTH = 32;

    private Bytes() {
    }

    static byte[] copy(String field, byte[] v, int max) {
        if (v == null) {
            throw new IllegalArgumentException(field + " == null");
        }
        if (v.length > max) {
            throw new IllegalArgumentException(field + " of " + v.length + " bytes exceeds " + max);
        }
        return v.clone();
    }

    static byte[] token(String field, byte[] v) {
        if (v == null) {
            throw new IllegalArgumentException(field + " == null");
        }
        if (v.length != TOKEN_LENGTH) {
            throw new IllegalArgumentException(field + " has " + v.length + " bytes, expected " + TOKEN_LENGTH);
        }
        return v.clone();
    }

    static void positive(String field, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(field + " " + v + " is not positive");
        }
    }
}
