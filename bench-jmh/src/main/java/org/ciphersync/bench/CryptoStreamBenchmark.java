package org.ciphersync.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.StreamOpener;
import org.ciphersync.crypto.aead.StreamSealer;
import org.ciphersync.crypto.secret.SecretBytes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole stream of {@code sizeMiB} (default 1 GiB) sealed and opened in 64 KiB segments, against
 * the raw JDK {@code Cipher} encrypting the same bytes as one GCM message fed through
 * {@code update()} in 64 KiB pieces. Single-shot: seconds per stream; MB/s = sizeMiB × 1.048576 / s.
 * Run with {@code -wi 0 -i 1 -f 3 -p sizeMiB=256} for the cold numbers a fresh CLI JVM sees.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(1)
public class CryptoStreamBenchmark {
    static final int SEG = 64 * 1024;

    @Param({"1024"})
    public int sizeMiB;

    private final SecureRandom random = new SecureRandom();
    private final AeadContext ctx = AeadContext.vault("bench", "files", "file", new byte[32], 0);
    private SecretBytes key;
    private byte[] plain;
    private byte[] sealed;
    private byte[] out;

    @Setup(Level.Trial)
    public void setup() {
        key = SecretBytes.random(random, 32);
        plain = new byte[SEG];
        random.nextBytes(plain);
        sealed = new byte[SEG + 16];
        out = new byte[SEG];
    }

    private int segmentCount() {
        return sizeMiB * 16;
    }

    @Benchmark
    public long sealStream() {
        StreamSealer s = new StreamSealer(key, ctx, SEG, random);
        long total = 0;
        int n = segmentCount();
        for (int i = 0; i < n; i++) {
            total += s.sealSegment(plain, 0, SEG, i == n - 1, sealed, 0);
        }
        return total;
    }

    @Benchmark
    public long rawJdkSealStream() throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.expose(), "AES"), new GCMParameterSpec(128, nonce));
        long total = 0;
        int n = segmentCount();
        for (int i = 0; i < n; i++) {
            total += c.update(plain, 0, SEG, sealed, 0);
        }
        total += c.doFinal(sealed, 0);
        return total;
    }

    /** Seal + open segment by segment (opening needs the stream's own segments, so both run here). */
    @Benchmark
    public long sealAndOpenStream() throws Exception {
        StreamSealer s = new StreamSealer(key, ctx, SEG, random);
        StreamOpener o = new StreamOpener(key, ctx, s.header(), 0);
        long total = 0;
        int n = segmentCount();
        for (int i = 0; i < n; i++) {
            boolean last = i == n - 1;
            int len = s.sealSegment(plain, 0, SEG, last, sealed, 0);
            total += o.openSegment(sealed, 0, len, last, out, 0);
        }
        o.finish();
        return total;
    }

    /** Raw JDK: per-segment encrypt + decrypt with counter nonces (the same GCM work as sealAndOpenStream). */
    @Benchmark
    public long rawJdkSealAndOpenStream() throws Exception {
        Cipher e = Cipher.getInstance("AES/GCM/NoPadding");
        Cipher d = Cipher.getInstance("AES/GCM/NoPadding");
        SecretKeySpec k = new SecretKeySpec(key.expose(), "AES");
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        long total = 0;
        int n = segmentCount();
        for (int i = 0; i < n; i++) {
            nonce[8] = (byte) (i >>> 24);
            nonce[9] = (byte) (i >>> 16);
            nonce[10] = (byte) (i >>> 8);
            nonce[11] = (byte) i;
            e.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
            int len = e.doFinal(plain, 0, SEG, sealed, 0);
            d.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, nonce));
            total += d.doFinal(sealed, 0, len, out, 0);
        }
        return total;
    }
}
