package org.ciphersync.crypto.secret;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Session passwords: 12 Crockford base32 symbols (60 random bits) shown as three groups of four,
 * e.g. {@code 7KQ3-M9XD-2HPA}. Digits and unambiguous capitals only, so they read aloud well.
 *
 * <p>60 bits against online guessing: the PAKE allows one guess per run and runs are rate-limited
 * (e.g. 10 per minute per session), so an even chance needs about 2^59 runs.
 */
public final class SessionPasswords {
    /** Symbols in a session password. */
    public static final int SYMBOLS = 12;
    /** Random bits in a session password. */
    public static final int BITS = SYMBOLS * 5;
    private static final int GROUP = 4;

    private SessionPasswords() {
    }

    /** A new session password from {@code random}, formatted {@code XXXX-XXXX-XXXX}. */
    public static Password generate(SecureRandom random) {
        char[] out = new char[SYMBOLS + SYMBOLS / GROUP - 1];
        int o = 0;
        for (int i = 0; i < SYMBOLS; i++) {
            if (i > 0 && i % GROUP == 0) {
                out[o++] = '-';
            }
            out[o++] = CrockfordBase32.ALPHABET.charAt(random.nextInt(32));
        }
        return Password.adopt(out);
    }

    /**
     * The canonical form that enters the PAKE: separators (space, hyphen) dropped, letters upper
     * case, {@code I L} → {@code 1}, {@code O} → {@code 0}. Characters outside the alphabet are
     * kept upper-cased (so a mistyped password simply fails the PAKE). Returns a new password.
     */
    public static Password canonicalize(Password typed) {
        char[] in = typed.expose();
        char[] out = new char[in.length];
        int n = 0;
        for (char c : in) {
            if (c == '-' || c == ' ' || c == '\t') {
                continue;
            }
            int v = CrockfordBase32.decodeSymbol(c);
            out[n++] = v >= 0 ? CrockfordBase32.ALPHABET.charAt(v) : Character.toUpperCase(c);
        }
        char[] exact = Arrays.copyOf(out, n);
        Arrays.fill(out, '\0');
        return Password.adopt(exact);
    }

    /** True when {@code typed} canonicalises to exactly {@link #SYMBOLS} alphabet symbols. */
    public static boolean isWellFormed(Password typed) {
        try (Password c = canonicalize(typed)) {
            char[] s = c.expose();
            if (s.length != SYMBOLS) {
                return false;
            }
            for (char ch : s) {
                if (CrockfordBase32.ALPHABET.indexOf(ch) < 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
