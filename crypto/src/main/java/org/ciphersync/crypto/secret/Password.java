package org.ciphersync.crypto.secret;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A password or passphrase typed by a person, held in a wipeable {@code char[]}. {@link #close()}
 * overwrites it; {@link #toString()} never prints it. Obtain one from {@code Console.readPassword}
 * and never from a {@code String} when it can be avoided.
 */
public final class Password implements AutoCloseable {
    private final char[] chars;
    private volatile boolean wiped;

    private Password(char[] chars) {
        this.chars = chars;
    }

    /** Takes ownership of {@code chars} (no copy): the caller MUST NOT use the array afterwards. */
    public static Password adopt(char[] chars) {
        Objects.requireNonNull(chars, "chars == null");
        return new Password(chars);
    }

    /** Copies the characters; the caller remains responsible for its own array. */
    public static Password copyOf(char[] chars) {
        Objects.requireNonNull(chars, "chars == null");
        return new Password(chars.clone());
    }

    /**
     * From a {@code CharSequence}. Only for tests and for values that already live in a
     * {@code String} (a string cannot be wiped).
     */
    public static Password of(CharSequence text) {
        Objects.requireNonNull(text, "text == null");
        char[] c = new char[text.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = text.charAt(i);
        }
        return new Password(c);
    }

    public int length() {
        return chars.length;
    }

    public boolean isEmpty() {
        return chars.length == 0;
    }

    /** The internal array without a copy. The caller MUST NOT modify, keep or log it. */
    public char[] expose() {
        checkLive();
        return chars;
    }

    /**
     * UTF-8 bytes of the NFC normalisation (so a password typed on systems that compose accents
     * differently gives the same key). ASCII passwords are encoded directly and never pass through
     * an immutable {@code String}. The caller owns (and should wipe) the result.
     */
    public SecretBytes toUtf8Nfc() {
        checkLive();
        boolean ascii = true;
        for (char ch : chars) {
            if (ch >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            byte[] out = new byte[chars.length];
            for (int i = 0; i < chars.length; i++) {
                out[i] = (byte) chars[i];
            }
            return SecretBytes.adopt(out);
        }
        CharBuffer normalized = CharBuffer.wrap(Normalizer.normalize(CharBuffer.wrap(chars), Normalizer.Form.NFC));
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(normalized);
        byte[] out = new byte[encoded.remaining()];
        encoded.get(out);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return SecretBytes.adopt(out);
    }

    public boolean isWiped() {
        return wiped;
    }

    @Override
    public void close() {
        Arrays.fill(chars, '\0');
        wiped = true;
    }

    @Override
    public String toString() {
        return "Password[redacted]";
    }

    private void checkLive() {
        if (wiped) {
            throw new IllegalStateException("this password was already wiped (closed); ask for it again");
        }
    }
}
