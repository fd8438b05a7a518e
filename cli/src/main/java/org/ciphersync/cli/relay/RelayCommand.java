package org.ciphersync.cli.relay;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ciphersync.cli.CliException;
import org.ciphersync.cli.ExitCode;
import org.ciphersync.relay.server.RelayConfig;
import org.ciphersync.relay.server.RelayServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ciphersync relay}: the relay server on embedded defaults (A3). */
@Command(name = "relay", sortOptions = false,
        description = {"Runs the relay server that session members connect through.",
                "It routes end-to-end encrypted messages and file parts; it never sees a password, key, path or file content.",
                "State is in memory; file parts wait in memory (up to --part-memory) or on disk under --data until every recipient fetched them."})
public final class RelayCommand implements Callable<Integer> {
    @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on (default 0.0.0.0: reachable from other machines)")
    String bind = "0.0.0.0";

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default " + RelayConfig.DEFAULT_PORT + "; 0 picks a free one)")
    int port = RelayConfig.DEFAULT_PORT;

    @Option(names = "--data", paramLabel = "DIR", description = "folder for file parts in transit (default: a folder under the user's data directory)")
    Path data;

    @Option(names = "--part-memory", paramLabel = "MIB", description = "MiB of file parts kept in memory, for all sessions together, "
            + "before parts go to disk under --data (default 128; 0 keeps every part on disk)")
    long partMemoryMib = 128;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new CliException(ExitCode.USAGE, "--port must be within 0..65535, got " + port);
        }
        if (partMemoryMib < 0 || partMemoryMib > (1L << 20)) {
            throw new CliException(ExitCode.USAGE, "--part-memory must be within 0..1048576 MiB, got " + partMemoryMib);
        }
        Path dir = data != null ? data : defaultDataDir("relay");
        RelayConfig config = RelayConfig.builder(dir).bindAddress(bind).port(port).partMemoryBytes(partMemoryMib << 20).build();
        RelayServer server = new RelayServer(config);
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "cannot start the relay on " + bind + ":" + port + ": "
                    + rootMessage(e) + " (is another program using that port? try --port)", e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "relay-shutdown"));
        spec.commandLine().getOut().printf("ciphersync relay listening on %s:%d (parts in %s); Ctrl-C stops it%n",
                bind, server.port(), dir);
        spec.commandLine().getOut().flush();
        stopped.await();
        return ExitCode.OK.code();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** The default folder for a relay's parts in transit: {@code $XDG_DATA_HOME/ciphersync/NAME} (else under ~/.local/share). */
    public static Path defaultDataDir(String name) {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("ciphersync").resolve(name);
    }
}
