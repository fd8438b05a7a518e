package org.ciphersync.crypto.kdf;

import java.security.SecureRandom;
import org.ciphersync.crypto.MalformedCiphertextException;

/**
 * Argon2id (version 1.3) parameters, stored beside what they protect. The constructor enforces
 * the floor and the ceiling, so weakened or hostile parameters (from a tampered file) are refused
 * before any work is done.
 *
 * <p>Encoding ({@link #encode()}, {@link #decode}): {@code 0x01 ‖ memoryKiB u32 ‖ iterations u32
 * ‖ parallelism u8 ‖ salt length u8 ‖ salt}.
 *
 * @param memoryKiB   memory in KiB, {@value #MIN_MEMORY_KIB}..{@value #MAX_MEMORY_KIB}
 * @param iterations  passes, {@value #MIN_ITERATIONS}..{@value #MAX_ITERATIONS}
 * @param parallelism lanes, 1..{@value #MAX_PARALLELISM}
 * @param salt        random salt, {@value #MIN_SALT}..{@value #MAX_SALT} bytes (copied)
 */
public record Argon2idParams(int memoryKiB, int iterations, int parallelism, byte[] salt) {
    /** Floor: 64 MiB. */
    public static final int MIN_MEMORY_KIB = 64 * 1024;
    /** Ceiling: 1 GiB (a file asking for more is treated as hostile). */
    public static final int MAX_MEMORY_KIB = 1024 * 1024;
    public static final int MIN_ITERATIONS = 2;
    public static final int MAX_ITERATIONS = 64;
    public static final int MAX_PARALLELISM = 16;
    public static final int MIN_SALT = 16;
    public static final int MAX_SALT = 64;
    /** Length of a fresh salt. */
    public static final int SALT_LENGTH = 16;
    /** Algorithm byte of the encoding. */
    public static final int ALGORITHM_ARGON2ID_V13 = 0x01;

    public Argon2idParams {
        if (memoryKiB < MIN_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2id memory " + memoryKiB + " KiB is below the floor of "
                    + MIN_MEMORY_KIB + " KiB");
        }
        if (memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2id memory " + memoryKiB + " KiB exceeds the ceiling of "
                    + MAX_MEMORY_KIB + " KiB");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2id iterations " + iterations + " outside "
                    + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
        }
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2id parallelism " + parallelism + " outside 1.." + MAX_PARALLELISM);
        }
        if (salt == null || salt.length < MIN_SALT || salt.length > MAX_SALT) {
            throw new IllegalArgumentException("Argon2id salt length " + (salt == null ? "null" : salt.length)
                    + " outside " + MIN_SALT + ".." + MAX_SALT);
        }
        salt = salt.clone();
    }

    /** Same cost with a fresh random salt (use one salt per protected item). */
    public static Argon2idParams withRandomSalt(int memoryKiB, int iterations, int parallelism, SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return new Argon2idParams(memoryKiB, iterations, parallelism, salt);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** The stored form. */
    public byte[] encode() {
        byte[] out = new byte[11 + salt.length];
        out[0] = ALGORITHM_ARGON2ID_V13;
        putInt(out, 1, memoryKiB);
        putInt(out, 5, iterations);
        out[9] = (byte) parallelism;
        out[10] = (byte) salt.length;
        System.arraycopy(salt, 0, out, 11, salt.length);
        return out;
    }

    /** Length of the encoding that starts at {@code data[off]}, read from its salt-length byte. */
    public static int encodedLength(byte[] data, int off) throws MalformedCiphertextException {
        if (data.length - off < 11) {
            throw new MalformedCiphertextException("KDF parameters are truncated (" + (data.length - off) + " bytes)");
        }
        return 11 + (data[off + 10] & 0xff);
    }

    /**
     * Parses exactly {@code len} bytes. Refuses unknown algorithms, wrong lengths and parameters
     * outside the floor/ceiling with a {@link MalformedCiphertextException} naming the field.
     */
    public static Argon2idParams decode(byte[] data, int off, int len) throws MalformedCiphertextException {
        if (off < 0 || len < 11 || off + len > data.length) {
            throw new MalformedCiphertextException("KDF parameters are truncated (" + len + " bytes)");
        }
        int algorithm = data[off] & 0xff;
        if (algorithm != ALGORITHM_ARGON2ID_V13) {
            throw new MalformedCiphertextException("unknown password KDF algorithm " + algorithm
                    + " (this version knows Argon2id = 1); a newer ciphersync may be needed");
        }
        int saltLen = data[off + 10] & 0xff;
        if (len != 11 + saltLen) {
            throw new MalformedCiphertextException("KDF parameters length " + len + " does not match salt length " + saltLen);
        }
        long memory = getUnsignedInt(data, off + 1);
        long iterations = getUnsignedInt(data, off + 5);
        int parallelism = data[off + 9] & 0xff;
        if (memory > Integer.MAX_VALUE || iterations > Integer.MAX_VALUE) {
            throw new MalformedCiphertextException("KDF parameters out of range (memory " + memory
                    + " KiB, iterations " + iterations + ")");
        }
        byte[] salt = new byte[saltLen];
        System.arraycopy(data, off + 11, salt, 0, saltLen);
        try {
            return new Argon2idParams((int) memory, (int) iterations, parallelism, salt);
        } catch (IllegalArgumentException e) {
            throw new MalformedCiphertextException("stored KDF parameters refused: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Argon2idParams p && p.memoryKiB == memoryKiB && p.iterations == iterations
                && p.parallelism == parallelism && java.util.Arrays.equals(p.salt, salt);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(memoryKiB, iterations, parallelism, java.util.Arrays.hashCode(salt));
    }

    @Override
    public String toString() {
        return "Argon2id(m=" + memoryKiB + " KiB, t=" + iterations + ", p=" + parallelism + ", salt="
                + salt.length + " bytes)";
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static long getUnsignedInt(byte[] b, int off) {
        return ((long) (b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
