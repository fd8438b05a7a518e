package org.ciphersync.crypto.kdf;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * Password → key with Argon2id v1.3 (Bouncy Castle {@code Argon2BytesGenerator}), and calibration
 * of the parameters on the creating machine.
 *
 * <p>Calibration: warm the JIT with three small runs, then, with p = 1 (BC runs lanes one after
 * the other, so more lanes buy nothing), measure derivations at t = 3 from m = 64 MiB up, doubling
 * m while it stays within the target, and fill the rest of the target with passes
 * ({@link #choose}).
 */
public final class PasswordKdf {
    /** Output length of {@link #derive}. */
    public static final int KEY_LENGTH = 32;
    /** Default calibration target: in the middle of 0.5–1 s. */
    public static final Duration DEFAULT_TARGET = Duration.ofMillis(750);
    /** Calibration never chooses more than this much memory. */
    public static final int CALIBRATION_MAX_MEMORY_KIB = 256 * 1024;
    static final int CALIBRATION_MIN_ITERATIONS = 3;
    static final int CALIBRATION_MAX_ITERATIONS = 10;
    private static final int WARM_UP_RUNS = 3;
    private static final int WARM_UP_MEMORY_KIB = 8 * 1024;

    /**
     * Result of a calibration.
     *
     * @param params   chosen parameters with a fresh salt
     * @param measured CPU time one derivation at these parameters took on this machine (wall time
     *                 where the JVM cannot measure thread CPU time)
     */
    public record Calibration(Argon2idParams params, Duration measured) {
    }

    private PasswordKdf() {
    }

    /**
     * Derives a {@value #KEY_LENGTH}-byte key from {@code password} (UTF-8 of its NFC form).
     * Takes as long as the parameters say (≈0.5–1 s at calibrated parameters).
     */
    public static SecretBytes derive(Password password, Argon2idParams params) {
        Objects.requireNonNull(password, "password == null");
        Objects.requireNonNull(params, "params == null");
        try (SecretBytes pw = password.toUtf8Nfc()) {
            byte[] salt = params.salt();
            return SecretBytes.adopt(argon2idRaw(pw.expose(), salt, null, null,
                    params.memoryKiB(), params.iterations(), params.parallelism(), KEY_LENGTH));
        }
    }

    /**
     * Raw Argon2id v1.3 with optional secret and associated data, without the floor. For
     * known-answer tests and for callers with their own policy; stored parameters go through
     * {@link #derive}.
     */
    public static byte[] argon2idRaw(byte[] password, byte[] salt, byte[] secret, byte[] associatedData,
                                     int memoryKiB, int iterations, int parallelism, int outLength) {
        Argon2Parameters.Builder b = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt);
        if (secret != null) {
            b.withSecret(secret);
        }
        if (associatedData != null) {
            b.withAdditional(associatedData);
        }
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(b.build());
        byte[] out = new byte[outLength];
        gen.generateBytes(password, out);
        return out;
    }

    /** Calibrates for {@link #DEFAULT_TARGET}. */
    public static Calibration calibrate(SecureRandom random) {
        return calibrate(DEFAULT_TARGET, random);
    }

    /**
     * Measures this machine and returns parameters that take about {@code target} (never below
     * the floor, so on a slow machine the result may take longer than the target).
     */
    public static Calibration calibrate(Duration target, SecureRandom random) {
        byte[] pw = new byte[16];
        byte[] salt = new byte[Argon2idParams.SALT_LENGTH];
        random.nextBytes(salt);
        // Warm the JIT first: in a fresh JVM the first derivations run interpreted and would make
        // this machine look slower than it is (the result would still be safe, only weaker).
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            Arrays.fill(argon2idRaw(pw, salt, null, null, WARM_UP_MEMORY_KIB, 1, 1, KEY_LENGTH), (byte) 0);
        }
        Cost once = (memoryKiB, iterations) -> {
            long start = cpuNanos();
            Arrays.fill(argon2idRaw(pw, salt, null, null, memoryKiB, iterations, 1, KEY_LENGTH), (byte) 0);
            return cpuNanos() - start;
        };
        // Best of two: the process's CPU time also counts the JIT still compiling the derivation
        // and the collector, which made a first measurement look slower than the next ones.
        Cost measure = (memoryKiB, iterations) -> Math.min(once.nanos(memoryKiB, iterations), once.nanos(memoryKiB, iterations));
        int[] mt = choose(measure, target);
        Argon2idParams params = Argon2idParams.withRandomSalt(mt[0], mt[1], 1, random);
        return new Calibration(params, Duration.ofNanos(once.nanos(params.memoryKiB(), params.iterations())));
    }

    /** What one derivation at ({@code memoryKiB}, {@code iterations}) costs, in nanoseconds. */
    @FunctionalInterface
    interface Cost {
        long nanos(int memoryKiB, int iterations);
    }

    /**
     * CPU time of the whole process where the JVM measures it (the collector's threads count: the
     * derivation allocates its memory as a quarter of a million 1 KiB blocks, and above the young
     * generation's size copying them costs as much as a pass), else this thread's CPU time, else
     * wall time. CPU time makes the calibration independent of other load on the machine at
     * creation time (on a busy machine wall time would make it look slow and yield weaker
     * parameters).
     */
    private static long cpuNanos() {
        java.util.Optional<Duration> process = ProcessHandle.current().info().totalCpuDuration(); // 10 ms ticks on Linux
        if (process.isPresent()) {
            return process.get().toNanos();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /**
     * The search of calibration, on a measured {@code cost}: the most memory (doubling from the
     * floor, up to {@value #CALIBRATION_MAX_MEMORY_KIB} KiB) whose derivation at t = 3 was measured
     * within {@code target}, then as many more passes as fit in the rest of the target at a third of
     * that derivation's cost each (an overestimate: it includes allocating the memory), t ≤ 10.
     * Each size is measured, not extrapolated from a smaller one: the cost grows faster than the
     * memory (caches, the collector), and a linear guess from 64 MiB chose 256 MiB, t = 3 for a
     * 0.75 s target on a machine where that took 1.1–1.7 s. A size is not measured when the one
     * before already took more than half the target.
     */
    static int[] choose(Cost cost, Duration target) {
        long targetNanos = target.toNanos();
        int memoryKiB = Argon2idParams.MIN_MEMORY_KIB;
        long atMemory = cost.nanos(memoryKiB, CALIBRATION_MIN_ITERATIONS);
        while (memoryKiB < CALIBRATION_MAX_MEMORY_KIB && 2 * atMemory <= targetNanos) {
            long doubled = cost.nanos(2 * memoryKiB, CALIBRATION_MIN_ITERATIONS);
            if (doubled > targetNanos) {
                break;
            }
            memoryKiB *= 2;
            atMemory = doubled;
        }
        long perPass = Math.max(1, atMemory / CALIBRATION_MIN_ITERATIONS);
        long t = CALIBRATION_MIN_ITERATIONS + Math.max(0, targetNanos - atMemory) / perPass;
        int iterations = (int) Math.min(CALIBRATION_MAX_ITERATIONS, t);
        return new int[] {memoryKiB, iterations};
    }
}
