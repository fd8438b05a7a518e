package org.ciphersync.vault.keys;

import java.security.SecureRandom;
import java.util.Objects;
import org.ciphersync.crypto.secret.CrockfordBase32;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.vault.VaultException;

/**
 * The recovery key: 256 random bits shown once as 52 Crockford base32 symbols in 13 groups of 4
 * ({@code 7K2M-…}). Typing accepts lower case, spaces or dashes anywhere, and I/L/O read as 1/1/0.
 */
public final class RecoveryKey {
    public static final int BYTES = 32;
    private static final int SYMBOLS = (BYTES * 8 + 4) / 5; // 52

    private RecoveryKey() {
    }

    public static SecretBytes random(SecureRandom rng) {
        return SecretBytes.random(rng, BYTES);
    }

    /** The grouped form to print once. */
    public static String format(SecretBytes key) {
        return CrockfordBase32.group(CrockfordBase32.encodeBits(key.expose(), BYTES * 8), 4);
    }

    /** Parses a typed recovery key; the message names the problem, never the key. */
    public static SecretBytes parse(CharSequence typed) {
        Objects.requireNonNull(typed, "typed == null");
        int[] vals = new int[SYMBOLS];
        int n = 0;
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c == '-' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                continue;
            }
            int v = CrockfordBase32.decodeSymbol(c);
            if (v < 0) {
                throw new VaultException(VaultException.Kind.USAGE, "the recovery key contains a character that is not in its alphabet (position " + (i + 1) + ")");
            }
            if (n == SYMBOLS) {
                throw new VaultException(VaultException.Kind.USAGE, "the recovery key is longer than " + SYMBOLS + " symbols");
            }
            vals[n++] = v;
        }
        if (n != SYMBOLS) {
            throw new VaultException(VaultException.Kind.USAGE, "the recovery key has " + n + " symbols, expected " + SYMBOLS);
        }
        byte[] out = new byte[BYTES];
        long acc = 0;
        int bits = 0;
        int o = 0;
        for (int i = 0; i < SYMBOLS && o < BYTES; i++) {
            acc = (acc << 5) | vals[i];
            bits += 5;
            if (bits >= 8) {
                out[o++] = (byte) (acc >>> (bits - 8));
                bits -= 8;
                acc &= (1L << bits) - 1;
            }
        }
        return SecretBytes.adopt(out);
    }
}
