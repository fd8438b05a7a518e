package org.ciphersync.crypto.secret;

/**
 * Crockford's base32 alphabet ({@code 0-9 A-Z} without {@code I L O U}): easy to read aloud and to
 * type. Used for session passwords and identity fingerprints. Integer arithmetic only.
 */
public final class CrockfordBase32 {
    /** The 32 symbols in value order. */
    public static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private CrockfordBase32() {
    }

    /**
     * Encodes the first {@code bits} bits of {@code data} (most significant bit first) as
     * {@code ceil(bits / 5)} symbols; a last partial group is padded with zero bits.
     */
    public static String encodeBits(byte[] data, int bits) {
        if (bits < 0 || bits > data.length * 8) {
            throw new IllegalArgumentException("bits " + bits + " outside 0.." + data.length * 8);
        }
        StringBuilder sb = new StringBuilder((bits + 4) / 5);
        for (int start = 0; start < bits; start += 5) {
            int v = 0;
            for (int b = start; b < start + 5; b++) {
                v <<= 1;
                if (b < bits && ((data[b >>> 3] >>> (7 - (b & 7))) & 1) != 0) {
                    v |= 1;
                }
            }
            sb.append(ALPHABET.charAt(v));
        }
        return sb.toString();
    }

    /**
     * Value of a symbol as typed by a person: case-insensitive, {@code I}/{@code L} read as 1,
     * {@code O} as 0; -1 for anything else.
     */
    public static int decodeSymbol(char c) {
        char u = Character.toUpperCase(c);
        if (u == 'I' || u == 'L') {
            return 1;
        }
        if (u == 'O') {
            return 0;
        }
        return ALPHABET.indexOf(u);
    }

    /** Groups {@code symbols} in blocks of {@code group} separated by {@code '-'}. */
    public static String group(CharSequence symbols, int group) {
        StringBuilder sb = new StringBuilder(symbols.length() + symbols.length() / group);
        for (int i = 0; i < symbols.length(); i++) {
            if (i > 0 && i % group == 0) {
                sb.append('-');
            }
            sb.append(symbols.charAt(i));
        }
        return sb.toString();
    }
}
