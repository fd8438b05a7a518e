package org.ciphersync.cli.session;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.ciphersync.cli.CliException;
import org.ciphersync.cli.ExitCode;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.JoinRefusedException;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.client.SessionClient;
import org.ciphersync.session.link.RelayConnector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ciphersync session join ID}: joins a session with its ID and password. */
@Command(name = "join", sortOptions = false,
        description = {"Joins a session with the Session ID and Session Password a member gave you.",
                "The password is asked on the terminal (not echoed), or read from --password-file (may be /dev/stdin);",
                "it is never taken from an argument or an environment variable."})
public final class SessionJoinCommand implements Callable<Integer> {
    private static final int MAX_PASSWORD_CHARS = 256;
    private static final int TRIES = 3;

    @Parameters(index = "0", paramLabel = "ID", description = "the Session ID, like 7KQ-M2X-9TD")
    String id;

    @Option(names = "--relay", paramLabel = "URL", required = true, description = "the relay the session runs on (ws://host:port/ws, or host:port)")
    String relay;

    @Option(names = "--password-file", paramLabel = "FILE", description = "read the password from the first line of FILE (/dev/stdin for a pipe)")
    Path passwordFile;

    @Option(names = "--stay", description = "keep following after the leader finished a synchronization and left (default: leave with it)")
    boolean stay;

    @Mixin
    CommonSessionOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SessionId sessionId;
        try {
            sessionId = SessionId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
        SessionConsole console = new SessionConsole(spec, common);
        console.followLeader = !stay;
        RelayConnector connector = RelayConnector.webSocket(console.parseRelay(relay), console.timeout());
        Console terminal = System.console();
        if (passwordFile == null && terminal == null) {
            throw new CliException(ExitCode.USAGE, "no terminal to ask for the session password: use --password-file FILE "
                    + "(FILE may be /dev/stdin)");
        }
        for (int attempt = 1; ; attempt++) {
            try (Password pw = passwordFile != null ? readPasswordFile(passwordFile) : ask(terminal)) {
                SessionClient client = SessionClient.join(console.options(connector), sessionId, pw);
                console.announceJoined(client);
                return console.run(client);
            } catch (JoinRefusedException e) {
                boolean retry = passwordFile == null && attempt < TRIES;
                console.refused(e, retry);
                if (!retry) {
                    throw new CliException(ExitCode.AUTH, e.getMessage(), e);
                }
                if (!e.retryAfter().isZero()) {
                    Thread.sleep(e.retryAfter().toMillis());
                }
            } catch (SessionException e) {
                throw new CliException(ExitCode.UNAVAILABLE, e.getMessage(), e);
            }
        }
    }

    private static Password ask(Console terminal) {
        char[] typed = terminal.readPassword("Session password: ");
        if (typed == null) {
            throw new CliException(ExitCode.USAGE, "no password was typed");
        }
        return Password.adopt(typed);
    }

    /** The first line of {@code file}, bounded; the stream stays open past it so later lines can be commands. */
    static Password readPasswordFile(Path file) {
        try {
            InputStream in = file.toString().equals("/dev/stdin") ? System.in : Files.newInputStream(file);
            byte[] buf = new byte[MAX_PASSWORD_CHARS * 4];
            int n = 0;
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (n == buf.length) {
                    Arrays.fill(buf, (byte) 0);
                    throw new CliException(ExitCode.USAGE, "the first line of " + file + " is too long to be a session password");
                }
                buf[n++] = (byte) b;
            }
            if (in != System.in) {
                in.close();
            }
            if (n > 0 && buf[n - 1] == '\r') {
                n--;
            }
            char[] chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(buf, 0, n)).array();
            Arrays.fill(buf, (byte) 0);
            char[] exact = Arrays.copyOf(chars, Math.min(chars.length, countChars(chars)));
            Arrays.fill(chars, '\0');
            if (exact.length == 0) {
                throw new CliException(ExitCode.USAGE, "the first line of " + file + " is empty: expected the session password");
            }
            return Password.adopt(exact);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "cannot read the password from " + file + ": " + e.getMessage(), e);
        }
    }

    private static int countChars(char[] decoded) {
        int n = decoded.length;
        while (n > 0 && decoded[n - 1] == '\0') {
            n--;
        }
        return n;
    }
}
