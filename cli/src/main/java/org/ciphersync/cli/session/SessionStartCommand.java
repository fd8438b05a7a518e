package org.ciphersync.cli.session;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.Callable;
import org.ciphersync.cli.CliException;
import org.ciphersync.cli.ExitCode;
import org.ciphersync.cli.relay.RelayCommand;
import org.ciphersync.relay.server.RelayConfig;
import org.ciphersync.relay.server.RelayServer;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.client.PlanChoice;
import org.ciphersync.session.client.SessionClient;
import org.ciphersync.session.link.RelayConnector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ciphersync session start}: creates a session (this machine becomes member A, the leader). */
@Command(name = "start", sortOptions = false,
        description = {"Starts a new session: prints the Session ID and Session Password to give to the others,",
                "then shows the members as they come and go and accepts commands (type 'help').",
                "Without --relay, a relay runs inside this process and its address is printed."})
public final class SessionStartCommand implements Callable<Integer> {
    @Option(names = "--relay", paramLabel = "URL", description = "relay to use (ws://host:port/ws, or host:port); default: run one here")
    String relay;

    @Option(names = "--bind", paramLabel = "ADDR", description = "embedded relay: address to listen on (default 0.0.0.0)")
    String bind = "0.0.0.0";

    @Option(names = "--port", paramLabel = "N", description = "embedded relay: TCP port (default " + RelayConfig.DEFAULT_PORT + "; 0 picks a free one)")
    int port = RelayConfig.DEFAULT_PORT;

    @Option(names = "--data", paramLabel = "DIR", description = "embedded relay: folder for file parts in transit "
            + "(default: a folder under the user's data directory)")
    Path data;

    @Option(names = "--members", paramLabel = "N", description = "non-interactive: wait for N members in all (2-5), then run with --sync")
    Integer members;

    @Option(names = "--preset", paramLabel = "NAME", description = "non-interactive: mirror, update or two-way (default mirror)")
    String preset;

    @Option(names = "--rules", paramLabel = "FILE", description = "non-interactive: rules and targeted actions from a JSON file "
            + "(the format of 'local --rules'; nodes are named as in the comparison: A1, B1, B2…) instead of a preset")
    Path rules;

    @Option(names = "--force", description = "non-interactive: skip the safety guards against mass deletes and empty folders "
            + "(as 'local --force')")
    boolean force;

    @Option(names = "--sync", description = "non-interactive: inventory, plan, synchronize and end the session; exit 0 only if every item succeeded")
    boolean sync;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "non-interactive: how long to wait for members and each phase (default 600)")
    int waitSeconds = 600;

    @Mixin
    CommonSessionOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (sync != (members != null)) {
            throw new CliException(ExitCode.USAGE, "--sync and --members N go together (the non-interactive run)");
        }
        if (members != null && (members < 2 || members > 5)) {
            throw new CliException(ExitCode.USAGE, "--members must be 2..5 (members in all, this one included), got " + members);
        }
        if (rules != null && preset != null) {
            throw new CliException(ExitCode.USAGE, "--preset and --rules exclude each other: a rules file replaces the preset");
        }
        if (force && !sync) {
            throw new CliException(ExitCode.USAGE, "--force is for the non-interactive run (--members N --sync); interactively, type 'sync mirror --force'");
        }
        if (rules != null && !sync) {
            throw new CliException(ExitCode.USAGE, "--rules is for the non-interactive run (--members N --sync); interactively, type 'sync rules FILE'");
        }
        PlanChoice chosen;
        try {
            chosen = rules != null ? SessionConsole.rulesFile(rules) : PlanChoice.of(SessionConsole.preset(preset == null ? "mirror" : preset));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
        SessionConsole console = new SessionConsole(spec, common);
        RelayServer embedded = null;
        URI relayUri;
        String relayForOthers;
        if (relay == null) {
            if (port < 0 || port > 65535) {
                throw new CliException(ExitCode.USAGE, "--port must be within 0..65535, got " + port);
            }
            Path data = this.data != null ? this.data : RelayCommand.defaultDataDir("session-relay");
            try {
                embedded = new RelayServer(RelayConfig.builder(data).bindAddress(bind).port(port).build()).start();
            } catch (RuntimeException e) {
                throw new CliException(ExitCode.UNAVAILABLE, "cannot start the embedded relay on " + bind + ":" + port
                        + " (is another program using that port? try --port 0, or --relay URL)", e);
            }
            relayUri = URI.create("ws://127.0.0.1:" + embedded.port() + "/ws");
            relayForOthers = "ws://" + publicAddress(bind) + ":" + embedded.port() + "/ws";
        } else {
            relayUri = console.parseRelay(relay);
            relayForOthers = relayUri.toString();
        }
        RelayServer relayToStop = embedded;
        try {
            SessionClient client;
            try {
                client = SessionClient.create(console.options(RelayConnector.webSocket(relayUri, console.timeout())));
            } catch (SessionException e) {
                throw new CliException(ExitCode.UNAVAILABLE, e.getMessage(), e);
            }
            console.announceCreated(client, relayForOthers, embedded != null);
            return sync ? console.runScripted(client, members, chosen, force, java.time.Duration.ofSeconds(waitSeconds)) : console.run(client);
        } finally {
            if (relayToStop != null) {
                relayToStop.close();
            }
        }
    }

    /** The address others on the network most likely reach this machine at. */
    static String publicAddress(String bind) {
        if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
            return bind;
        }
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through
        }
        return "127.0.0.1";
    }
}
