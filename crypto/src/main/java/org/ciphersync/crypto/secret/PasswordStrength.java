package org.ciphersync.crypto.secret;

import java.util.Set;

/**
 * A simple, documented estimate of a master password's strength (not zxcvbn; it errs on the
 * side of calling passwords weak).
 *
 * <p>Algorithm: every character contributes log2 of the pool of its class that the password uses
 * (lower 26, upper 26, digits 10, symbols 33, other Unicode 100, pools summed over the classes
 * present), except that a character that repeats the previous one, continues an ascending or
 * descending run ({@code abc}, {@code 987}) or a keyboard-row run ({@code qwer}, {@code asdf})
 * contributes 1 bit. A password that is, after lower-casing and dropping a trailing run of digits
 * and {@code !}, one of a list of very common passwords, or is shorter than 8 characters, is
 * {@link Level#WEAK} whatever its bits. Thresholds: under 50 bits weak, under 72 fair, else
 * strong.
 */
public final class PasswordStrength {
    /** Verdict levels. */
    public enum Level { WEAK, FAIR, STRONG }

    /**
     * The estimate.
     *
     * @param level   verdict
     * @param bits    estimated entropy in bits (rounded down)
     * @param message what to tell the person, including what to do about a weak password
     */
    public record Estimate(Level level, int bits, String message) {
    }

    static final int WEAK_BELOW = 50;
    static final int FAIR_BELOW = 72;
    private static final int MIN_LENGTH = 8;

    private static final String[] KEYBOARD_ROWS = {
        "`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./", "qwertzuiop", "azertyuiop", "yxcvbnm"
    };

    private static final Set<String> COMMON = Set.of(
            "password", "passw0rd", "p@ssword", "p@ssw0rd", "123456", "12345678", "123456789", "1234567890",
            "qwerty", "qwertz", "azerty", "abc123", "letmein", "welcome", "monkey", "dragon", "football",
            "baseball", "iloveyou", "admin", "administrator", "login", "master", "sunshine", "princess",
            "shadow", "superman", "batman", "trustno1", "starwars", "whatever", "freedom", "hello",
            "secret", "qwertyuiop", "asdfghjkl", "zxcvbnm", "111111", "000000", "654321", "charlie",
            "michael", "jennifer", "jordan", "hunter", "ranger", "buster", "soccer", "hockey", "killer",
            "pepper", "ginger", "cheese", "summer", "winter", "computer", "internet", "changeme",
            "default", "passport", "mustang", "access", "flower", "cookie", "pokemon", "liverpool",
            "chelsea", "arsenal", "ciphersync", "motdepasse", "passwort", "contrasena", "senha");

    private PasswordStrength() {
    }

    /** Estimates {@code password} without ever copying it into a {@code String}. */
    public static Estimate estimate(Password password) {
        char[] c = password.expose();
        if (c.length == 0) {
            return new Estimate(Level.WEAK, 0, "The password is empty. Choose a passphrase of four or more random words.");
        }
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean symbol = false;
        boolean other = false;
        for (char ch : c) {
            if (ch >= 'a' && ch <= 'z') {
                lower = true;
            } else if (ch >= 'A' && ch <= 'Z') {
                upper = true;
            } else if (ch >= '0' && ch <= '9') {
                digit = true;
            } else if (ch >= 0x20 && ch < 0x7f) {
                symbol = true;
            } else {
                other = true;
            }
        }
        int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
        double perChar = Math.log(pool) / Math.log(2);
        double bits = 0;
        for (int i = 0; i < c.length; i++) {
            bits += i > 0 && predictable(c[i - 1], c[i]) ? 1 : perChar;
        }
        int b = (int) bits;
        if (isCommon(c)) {
            return new Estimate(Level.WEAK, 0,
                    "This password is one of the most common passwords and is guessed first. "
                            + "Choose a passphrase of four or more random words.");
        }
        if (c.length < MIN_LENGTH) {
            return new Estimate(Level.WEAK, b, "This password has only " + c.length
                    + " characters (at least " + MIN_LENGTH + " needed). Choose a passphrase of four or more random words.");
        }
        if (b < WEAK_BELOW) {
            return new Estimate(Level.WEAK, b, "This password is weak (about " + b
                    + " bits; it could be guessed offline). Make it longer: four or more random words.");
        }
        if (b < FAIR_BELOW) {
            return new Estimate(Level.FAIR, b, "This password is fair (about " + b
                    + " bits). A longer passphrase would be safer.");
        }
        return new Estimate(Level.STRONG, b, "This password is strong (about " + b + " bits).");
    }

    private static boolean predictable(char prev, char cur) {
        char p = Character.toLowerCase(prev);
        char q = Character.toLowerCase(cur);
        if (p == q || q == p + 1 || q == p - 1) {
            return true;
        }
        for (String row : KEYBOARD_ROWS) {
            int i = row.indexOf(p);
            if (i >= 0 && ((i + 1 < row.length() && row.charAt(i + 1) == q) || (i > 0 && row.charAt(i - 1) == q))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCommon(char[] c) {
        int stem = c.length;
        while (stem > 0 && ((c[stem - 1] >= '0' && c[stem - 1] <= '9') || c[stem - 1] == '!')) {
            stem--;
        }
        for (String common : COMMON) {
            if (equalsIgnoreCase(c, c.length, common) || (stem > 0 && equalsIgnoreCase(c, stem, common))) {
                return true;
            }
        }
        return false;
    }

    /** Compares without building a {@code String} of the password. */
    private static boolean equalsIgnoreCase(char[] c, int length, String word) {
        if (length != word.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (Character.toLowerCase(c[i]) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
