package org.ciphersync.vault.chain;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The identity of one computer of a vault's chain: 16 random bytes, written as 32 lowercase hex
 * characters. It appears in every name the computer writes, which is why two computers never
 * write the same object.
 *
 * @param hex 32 lowercase hex characters
 */
public record ComputerId(String hex) implements Comparable<ComputerId> {
    public static final int BYTES = 16;
    private static final Interner<ComputerId> SHARED = new Interner<>(4096);

    public ComputerId {
        Objects.requireNonNull(hex, "hex == null");
        if (hex.length() != 2 * BYTES) {
            throw new IllegalArgumentException("computer id '" + printable(hex) + "' has " + hex.length()
                    + " characters, expected " + 2 * BYTES);
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException("computer id '" + printable(hex) + "' is not lowercase hex (index " + i + ")");
            }
        }
    }

    /** The id written as {@code hex}; equal ids decoded from trees and names share one instance. */
    public static ComputerId of(String hex) {
        return SHARED.intern(new ComputerId(hex));
    }

    public static ComputerId random(SecureRandom rng) {
        byte[] b = new byte[BYTES];
        rng.nextBytes(b);
        return new ComputerId(HexFormat.of().formatHex(b));
    }

    public static ComputerId fromBytes(byte[] b) {
        if (b.length != BYTES) {
            throw new IllegalArgumentException("computer id of " + b.length + " bytes, expected " + BYTES);
        }
        return of(HexFormat.of().formatHex(b));
    }

    public byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }

    /** The first 8 characters, for display. */
    public String shortForm() {
        return hex.substring(0, 8);
    }

    @Override
    public int compareTo(ComputerId o) {
        return hex.compareTo(o.hex);
    }

    @Override
    public String toString() {
        return hex;
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
