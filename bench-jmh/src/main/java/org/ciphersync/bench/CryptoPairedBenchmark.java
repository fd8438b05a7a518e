package org.ciphersync.bench;

import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.aead.StreamOpener;
import org.ciphersync.crypto.aead.StreamSealer;
import org.ciphersync.crypto.hash.KeyedHasher;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * Interleaved A/B throughput for a shared, noisy machine, where separate JMH runs of ciphersync
 * and of the raw JDK see different background load. Each round runs every variant on 64 segments
 * of 64 KiB (4 MiB) in turn, timed in thread CPU time (preemption by other processes does not
 * count); the first quarter of rounds is warm-up. Ratios are what to read.
 * Not a JMH benchmark: run {@code java -cp benchmarks.jar org.ciphersync.bench.CryptoPairedBenchmark [rounds]}.
 */
public final class CryptoPairedBenchmark {
    private static final int SEG = 64 * 1024;
    private static final int RING = 64;

    private CryptoPairedBenchmark() {
    }

    interface Op {
        void run(int i) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        SecureRandom random = new SecureRandom();
        byte[] plain = new byte[SEG];
        random.nextBytes(plain);
        byte[] out = new byte[SEG + 128];
        SecretBytes key = SecretBytes.random(random, 32);
        AeadContext ctx = AeadContext.vault("bench", "files", "chunk", new byte[32], 0);
        SecretKeySpec rawKey = new SecretKeySpec(key.expose(), "AES");
        Cipher raw = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] nonce = new byte[12];
        long[] counter = {0};

        byte[][] rawRing = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            nonce[11] = (byte) i;
            raw.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
            rawRing[i] = raw.doFinal(plain);
        }
        StreamSealer ringSealer = new StreamSealer(key, ctx, SEG, random);
        byte[] header = ringSealer.header();
        byte[][] ring = new byte[RING][SEG + 16];
        for (int i = 0; i < RING; i++) {
            ringSealer.sealSegment(plain, 0, SEG, false, ring[i], 0);
        }
        Envelope envelope = new Envelope(key, random);
        byte[] envelopeBytes = envelope.seal(ctx, plain);
        StreamSealer[] sealer = {new StreamSealer(key, ctx, SEG, random)};
        StreamOpener[] opener = {null};
        KeyedHasher hasher = new KeyedHasher(key);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] digest = new byte[32];

        String[] names = {"raw JDK seal (GCM per 64 KiB)", "StreamSealer.sealSegment", "Envelope.seal (64 KiB object)",
            "raw JDK open (GCM per 64 KiB)", "StreamOpener.openSegment", "Envelope.open (64 KiB object)",
            "SHA-256", "KeyedHasher (HMAC-SHA-256)"};
        Op[] ops = {
            i -> {
                long c = ++counter[0];
                for (int b = 0; b < 8; b++) {
                    nonce[4 + b] = (byte) (c >>> (56 - 8 * b));
                }
                raw.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
                raw.doFinal(plain, 0, SEG, out, 0);
            },
            i -> {
                if (sealer[0].segmentsSealed() > 1_000_000) {
                    sealer[0] = new StreamSealer(key, ctx, SEG, random);
                }
                sealer[0].sealSegment(plain, 0, SEG, false, out, 0);
            },
            i -> envelope.seal(ctx, plain, 0, SEG, out, 0),
            i -> {
                java.util.Arrays.fill(nonce, (byte) 0);
                nonce[11] = (byte) i;
                raw.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
                raw.doFinal(rawRing[i], 0, rawRing[i].length, out, 0);
            },
            i -> {
                if (i == 0) {
                    opener[0] = new StreamOpener(key, ctx, header, 0);
                }
                opener[0].openSegment(ring[i], 0, ring[i].length, false, out, 0);
            },
            i -> envelope.open(ctx, envelopeBytes, 0, envelopeBytes.length, out, 0),
            i -> {
                sha.update(plain);
                sha.digest(digest, 0, 32);
            },
            i -> hasher.hashInto(plain, 0, SEG, digest, 0),
        };
        // Thread CPU time, not wall time: on a shared machine preemption would dominate wall time.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] nanos = new long[ops.length];
        int warm = rounds / 4;
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < ops.length; v++) {
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < RING; i++) {
                    ops[v].run(i);
                }
                if (round >= warm) {
                    nanos[v] += threads.getCurrentThreadCpuTime() - start;
                }
            }
        }
        double mb = (double) (rounds - warm) * RING * SEG / 1e6;
        for (int v = 0; v < ops.length; v++) {
            double mbs = mb / (nanos[v] / 1e9);
            double base = mb / (nanos[v < 3 ? 0 : v < 6 ? 3 : 6] / 1e9);
            System.out.printf("%-34s %7.0f MB/s  %5.1f %% of %s%n", names[v], mbs, 100 * mbs / base,
                    v < 3 ? "raw seal" : v < 6 ? "raw open" : "SHA-256");
        }
    }
}
