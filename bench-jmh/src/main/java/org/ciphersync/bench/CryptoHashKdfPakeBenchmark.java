package org.ciphersync.bench;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.ciphersync.crypto.hash.KeyedHasher;
import org.ciphersync.crypto.identity.Identity;
import org.ciphersync.crypto.kdf.Argon2idParams;
import org.ciphersync.crypto.kdf.PasswordKdf;
import org.ciphersync.crypto.pake.PakeResult;
import org.ciphersync.crypto.pake.PakeSession;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Keyed chunk hashing vs plain SHA-256 (1 MiB per op: MB/s = ops/s × 1.048576), Argon2id at the
 * parameters calibration picks on this machine (ms per derivation), and one full PAKE exchange
 * (both sides, three rounds, in one thread: ms per exchange).
 */
@State(Scope.Thread)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CryptoHashKdfPakeBenchmark {
    private final SecureRandom random = new SecureRandom();
    private byte[] data;
    private KeyedHasher hasher;
    private MessageDigest sha256;
    private final byte[] out = new byte[32];
    private Argon2idParams calibrated;
    private Password password;
    private Identity a;
    private Identity b;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        data = new byte[1024 * 1024];
        random.nextBytes(data);
        hasher = new KeyedHasher(SecretBytes.random(random, 32));
        sha256 = MessageDigest.getInstance("SHA-256");
        PasswordKdf.Calibration c = PasswordKdf.calibrate(random);
        calibrated = c.params();
        System.out.println("\n[calibration] " + calibrated + " measured " + c.measured().toMillis() + " ms");
        password = Password.of("correct horse battery staple");
        a = Identity.generate(random);
        b = Identity.generate(random);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] keyedHash1MiB() {
        hasher.hashInto(data, 0, data.length, out, 0);
        return out;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] plainSha256_1MiB() {
        return sha256.digest(data);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public SecretBytes argon2idCalibrated() {
        return PasswordKdf.derive(password, calibrated);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public PakeResult pakeFullExchange() throws Exception {
        PakeSession c = PakeSession.creator("S-BENCH", Password.of("7KQ3-M9XD-2HPA"), a, random);
        PakeSession j = PakeSession.joiner("S-BENCH", Password.of("7KQ3-M9XD-2HPA"), b, random);
        byte[] c1 = c.round1();
        byte[] j1 = j.round1();
        c.receiveRound1(j1);
        j.receiveRound1(c1);
        byte[] c2 = c.round2();
        byte[] j2 = j.round2();
        c.receiveRound2(j2);
        j.receiveRound2(c2);
        byte[] c3 = c.confirmation();
        byte[] j3 = j.confirmation();
        j.receiveConfirmation(c3).close();
        return c.receiveConfirmation(j3);
    }
}
