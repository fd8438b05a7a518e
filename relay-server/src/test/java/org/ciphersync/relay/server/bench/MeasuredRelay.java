package org.ciphersync.relay.server.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.ciphersync.relay.server.RelayConfig;
import org.ciphersync.relay.server.RelayServer;

/**
 * A relay in its own JVM for {@link RelayMeasurements}: prints {@code PORT n}, then answers {@code heap}
 * (used heap after full GCs) and {@code cpu} (process CPU nanoseconds) on stdin until {@code quit}.
 */
public final class MeasuredRelay {

    private MeasuredRelay() {
    }

    public static void main(String[] args) throws Exception {
        RelayConfig config = RelayConfig.builder(Files.createTempDirectory("relay-measure")).bindAddress("127.0.0.1").port(0)
                .gracePeriod(Duration.ofHours(1)).idleExpiry(Duration.ofHours(1))
                .framesPerSecond(1_000_000).frameBurst(1_000_000).maxSessions(1_000_000)
                .maxConnectionsPerAddress(1_000_000).unboundTimeout(Duration.ofHours(1)).build();
        RelayServer server = new RelayServer(config).start();
        System.out.println("PORT " + server.port());
        System.out.flush();
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line.strip()) {
                case "heap" -> {
                    for (int i = 0; i < 4; i++) {
                        System.gc();
                        Thread.sleep(200);
                    }
                    System.out.println("HEAP " + mem.getHeapMemoryUsage().getUsed());
                }
                case "cpu" -> System.out.println("CPU " + os.getProcessCpuTime());
                case "quit" -> {
                    server.stop();
                    System.out.println("BYE");
                    System.out.flush();
                    System.exit(0);
                }
                default -> System.out.println("?");
            }
            System.out.flush();
        }
        server.stop();
    }
}
