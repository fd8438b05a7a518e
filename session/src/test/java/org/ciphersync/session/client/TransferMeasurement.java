package org.ciphersync.session.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.ciphersync.session.member.SourceEntry;

/**
 * A → B through a loopback relay (one JVM): first synchronization of one random file, then after a
 * 100-byte edit in its middle. Not a test; run by hand:
 * {@code java -cp <test classpath> org.ciphersync.session.client.TransferMeasurement [MiB]}.
 */
public final class TransferMeasurement {
    private TransferMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        Path tmp = Files.createTempDirectory("cs-measure-");
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        byte[] data = new byte[mib << 20];
        new Random(7).nextBytes(data);
        Files.write(a.resolve("big.bin"), data);
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            for (SessionClient x : new SessionClient[] {ca, cb}) {
                x.await(v -> v.members().size() == 2 && v.members().stream().allMatch(m -> m.sources().size() == 1), Duration.ofSeconds(30));
            }
            report("first sync", mib, f, run(ca, cb));
            data[data.length / 2] ^= 1;
            for (int i = 1; i < 100; i++) {
                data[data.length / 2 + i] ^= 0x33;
            }
            Files.write(a.resolve("big.bin"), data);
            ca.restart();
            report("after a 100-byte edit", mib, f, run(ca, cb));
            if (!java.util.Arrays.equals(Files.readAllBytes(b.resolve("big.bin")), data)) {
                throw new AssertionError("B's copy differs");
            }
        } finally {
            SyncRun.deleteTree(tmp);
        }
    }

    private static long run(SessionClient ca, SessionClient cb) throws Exception {
        long t0 = System.nanoTime();
        ca.startInventory();
        ca.await(v -> ca.comparison().isPresent(), Duration.ofMinutes(5));
        ca.startSynchronization(Preset.MIRROR);
        cb.await(v -> cb.syncComplete(), Duration.ofMinutes(10));
        ca.await(v -> ca.syncComplete(), Duration.ofMinutes(1));
        return System.nanoTime() - t0;
    }

    private static long lastBytes;

    private static void report(String what, int mib, SessionFixture f, long nanos) {
        long bytes = f.tap.uploads().stream().filter(u -> u.startsWith("p")).mapToLong(u -> Long.parseLong(u.split(" ")[1])).sum();
        long delta = bytes - lastBytes;
        lastBytes = bytes;
        System.out.printf("%s: %d MiB file, %.2f s wall (inventory+plan+transfer+apply), %.1f MB/s, %d bytes of parts uploaded%n",
                what, mib, nanos / 1e9, (mib << 20) / (nanos / 1e3), delta);
    }
}
