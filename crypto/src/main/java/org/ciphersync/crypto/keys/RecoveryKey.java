package org.ciphersync.crypto.keys;

import java.security.SecureRandom;
import java.util.Arrays;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.secret.CrockfordBase32;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * An optional recovery key: 255 random bits shown once as 51 Crockford base32 symbols in groups
 * of four (13 groups) for the person to write down; it wraps the vault root key like the
 * password does (through {@link KeyWrapping}), with no KDF stretching needed (it is full entropy).
 * Parsing accepts what a person types back (case, spaces, hyphens, I/L/O look-alikes).
 */
public final class RecoveryKey {
    /** Symbols in a recovery key. */
    public static final int SYMBOLS = 51;
    private static final int BITS = SYMBOLS * 5;

    private RecoveryKey() {
    }

    /** A new recovery key as the text to show; {@link #parse} turns it into the wrapping key. */
    public static Password generate(SecureRandom random) {
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        bits[31] &= (byte) 0xfe; // 255 bits are shown; the last bit is always 0
        String text = CrockfordBase32.group(CrockfordBase32.encodeBits(bits, BITS), 4);
        Arrays.fill(bits, (byte) 0);
        return Password.of(text);
    }

    /**
     * The 32-byte key-encryption key a recovery key text denotes.
     *
     * @throws MalformedCiphertextException the text is not 51 symbols of the alphabet (says how many were found)
     */
    public static SecretBytes parse(Password typed) throws MalformedCiphertextException {
        char[] c = typed.expose();
        byte[] out = new byte[32];
        int bit = 0;
        int symbols = 0;
        for (char ch : c) {
            if (ch == '-' || Character.isWhitespace(ch)) {
                continue;
            }
            int v = CrockfordBase32.decodeSymbol(ch);
            if (v < 0) {
                Arrays.fill(out, (byte) 0);
                throw new MalformedCiphertextException("recovery key contains a character that is not in its alphabet "
                        + "(position " + (symbols + 1) + "); check what was typed");
            }
            symbols++;
            for (int i = 4; i >= 0; i--, bit++) {
                if (bit < 256 && ((v >>> i) & 1) != 0) {
                    out[bit >>> 3] |= (byte) (1 << (7 - (bit & 7)));
                }
            }
        }
        if (symbols != SYMBOLS) {
            Arrays.fill(out, (byte) 0);
            throw new MalformedCiphertextException("recovery key has " + symbols + " symbols, expected " + SYMBOLS);
        }
        return SecretBytes.adopt(out);
    }
}
