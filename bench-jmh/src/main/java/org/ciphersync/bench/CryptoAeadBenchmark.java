package org.ciphersync.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm AES-256-GCM throughput: ciphersync's segment sealer/opener and envelope against the raw JDK
 * {@code Cipher} doing the same 64 KiB GCM operations. One op = one 64 KiB segment, so
 * MB/s = ops/s × 0.065536.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CryptoAeadBenchmark {
    static final int SEG = 64 * 1024;
    private final SecureRandom random = new SecureRandom();
    private final AeadContext ctx = AeadContext.vault("bench", "files", "chunk", new byte[32], 0);
    private SecretBytes key;
    private byte[] plain;
    private byte[] sealed;
    private byte[] out;
    private StreamSealer sealer;
    private Envelope envelope;
    private byte[] header;
    private static final int RING = 256;
    private byte[][] ring;
    private StreamOpener opener;
    private int openIndex;
    private byte[] envelopeBytes;
    private Cipher raw;
    private SecretKeySpec rawKey;
    private final byte[] nonce = new byte[12];
    private long counter;
    private byte[] rawSealed;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        key = SecretBytes.random(random, 32);
        plain = new byte[SEG];
        random.nextBytes(plain);
        sealed = new byte[SEG + 64];
        out = new byte[SEG + 64];
        envelope = new Envelope(key, random);
        StreamSealer s = new StreamSealer(key, ctx, SEG, random);
        header = s.header();
        ring = new byte[RING][SEG + 16];
        for (int i = 0; i < RING; i++) {
            s.sealSegment(plain, 0, SEG, false, ring[i], 0);
        }
        opener = new StreamOpener(key, ctx, header, 0);
        envelopeBytes = envelope.seal(ctx, plain);
        raw = Cipher.getInstance("AES/GCM/NoPadding");
        rawKey = new SecretKeySpec(key.expose(), "AES");
        raw.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
        rawSealed = raw.doFinal(plain);
    }

    @Setup(Level.Iteration)
    public void newStream() {
        sealer = new StreamSealer(key, ctx, SEG, random);
    }

    @Benchmark
    public int sealSegment64k() {
        if (sealer.segmentsSealed() >= StreamSealer.MAX_SEGMENTS - 2) {
            sealer = new StreamSealer(key, ctx, SEG, random);
        }
        return sealer.sealSegment(plain, 0, SEG, false, sealed, 0);
    }

    @Benchmark
    public int openSegment64k() throws Exception {
        if (openIndex == RING) {
            opener = new StreamOpener(key, ctx, header, 0); // one HKDF per 256 segments
            openIndex = 0;
        }
        byte[] seg = ring[openIndex++];
        return opener.openSegment(seg, 0, seg.length, false, out, 0);
    }

    @Benchmark
    public int envelopeSeal64k() {
        return envelope.seal(ctx, plain, 0, SEG, sealed, 0);
    }

    @Benchmark
    public int envelopeOpen64k() throws Exception {
        return envelope.open(ctx, envelopeBytes, 0, envelopeBytes.length, out, 0);
    }

    @Benchmark
    public int rawJdkSeal64k() throws Exception {
        long c = ++counter;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (c >>> (56 - 8 * i));
        }
        raw.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
        return raw.doFinal(plain, 0, SEG, sealed, 0);
    }

    @Benchmark
    public int rawJdkOpen64k() throws Exception {
        java.util.Arrays.fill(nonce, (byte) 0);
        raw.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
        return raw.doFinal(rawSealed, 0, rawSealed.length, out, 0);
    }
}
