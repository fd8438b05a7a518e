package org.ciphersync.bench;

import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.core.chunk.FastCdc;
import org.ciphersync.core.chunk.Fingerprinter;
import org.ciphersync.core.chunk.SplitMix64;
import org.ciphersync.core.inventory.Fingerprint;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chunker and hasher throughput, single thread, over 64 MiB of random data. Each operation
 * processes the whole buffer, so MB/s = 64 × 1.048576 × ops/s.
 *
 * <pre>
 * java -cp bench-jmh/target/classes:$(cat cp.txt) org.openjdk.jmh.Main ChunkerBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ChunkerBenchmark {
    static final int SIZE = 64 << 20;

    @Param({"SYNC", "VAULT"})
    public String params;

    byte[] data;
    FastCdc cdc;
    Fingerprinter fingerprinter;
    MessageDigest sha;

    @Setup
    public void setUp() throws Exception {
        data = new byte[SIZE];
        new SplitMix64(42).nextBytes(data);
        ChunkerParams p = params.equals("SYNC") ? ChunkerParams.SYNC : ChunkerParams.VAULT;
        cdc = new FastCdc(p);
        fingerprinter = new Fingerprinter(p);
        sha = MessageDigest.getInstance("SHA-256");
    }

    /** Gear-hash boundary scan only (no hashing). */
    @Benchmark
    public int gearScan() {
        int start = 0;
        int chunks = 0;
        while (start < data.length) {
            start = cdc.nextBoundary(data, start, data.length);
            chunks++;
        }
        return chunks;
    }

    /** SHA-256 of the buffer alone, the lower bound for hashing. */
    @Benchmark
    public byte[] sha256Only() {
        return sha.digest(data);
    }

    /** The full fingerprint: boundaries + SHA-256 per chunk + file hash. */
    @Benchmark
    public Fingerprint chunkAndHash() {
        return fingerprinter.fingerprint(data);
    }

    /**
     * A CPU-time measurement for a busy machine (JMH wall-clock numbers are meaningless when
     * other processes share the cores): MB per CPU-second of the benchmarked thread.
     */
    public static void main(String[] args) throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (String p : new String[] {"SYNC", "VAULT"}) {
            ChunkerBenchmark b = new ChunkerBenchmark();
            b.params = p;
            b.setUp();
            String[] names = {"gearScan", "sha256Only", "chunkAndHash"};
            Runnable[] ops = {b::gearScan, b::sha256Only, b::chunkAndHash};
            for (int k = 0; k < ops.length; k++) {
                for (int i = 0; i < 20; i++) {
                    ops[k].run(); // warm-up
                }
                int reps = 30;
                long c0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < reps; i++) {
                    ops[k].run();
                }
                double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
                System.out.printf("%-5s %-12s %6.0f MB/s per CPU-second%n", p, names[k], (double) SIZE * reps / cpu / 1e6);
            }
        }
    }
}
