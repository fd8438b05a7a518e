package org.ciphersync.crypto.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.ciphersync.crypto.secret.CrockfordBase32;

/**
 * What two people compare to know they see the same identity:
 * {@code SHA-256("ciphersync-fingerprint-v1" ‖ IdentityPublicKeys.encode())} truncated to
 * {@value #BITS} bits, as 32 Crockford base32 symbols in 8 groups of 4
 * ({@code 7KQ3-M9XD-…}). Integer arithmetic only; no MD5.
 *
 * @param text the grouped form
 */
public record Fingerprint(String text) {
    public static final int BITS = 160;
    private static final byte[] DOMAIN = "ciphersync-fingerprint-v1".getBytes(StandardCharsets.US_ASCII);

    public Fingerprint {
        Objects.requireNonNull(text, "text == null");
    }

    public static Fingerprint of(IdentityPublicKeys keys) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DOMAIN);
            sha.update(keys.encode());
            return new Fingerprint(CrockfordBase32.group(CrockfordBase32.encodeBits(sha.digest(), BITS), 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    /**
     * True when {@code typed} (as a person reads it back: any case, spaces or hyphens, I/L for 1,
     * O for 0) denotes this fingerprint.
     */
    public boolean matches(String typed) {
        StringBuilder a = new StringBuilder();
        for (char c : typed.toCharArray()) {
            if (c == '-' || Character.isWhitespace(c)) {
                continue;
            }
            int v = CrockfordBase32.decodeSymbol(c);
            if (v < 0) {
                return false;
            }
            a.append(CrockfordBase32.ALPHABET.charAt(v));
        }
        return MessageDigest.isEqual(a.toString().getBytes(StandardCharsets.US_ASCII),
                text.replace("-", "").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return text;
    }
}
