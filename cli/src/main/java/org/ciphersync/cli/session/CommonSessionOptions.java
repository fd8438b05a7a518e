package org.ciphersync.cli.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by {@code session start} and {@code session join}. */
public final class CommonSessionOptions {
    @Option(names = "--source", paramLabel = "PATH", description = "a directory or file of this machine to take part (repeatable)")
    List<Path> sources = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "DIR",
            description = "profile folder (default $XDG_CONFIG_HOME/ciphersync/profile); created on first use")
    Path profile;

    @Option(names = "--machine", paramLabel = "NAME", description = "machine name shown to the other members (saved in the profile)")
    String machine;

    @Option(names = "--email", paramLabel = "LABEL", description = "e-mail label shown to the other members (saved in the profile)")
    String email;

    @Option(names = "--json", description = "print one JSON event per line instead of text (for scripts)")
    boolean json;

    @Option(names = "--confirm-changes", description = "ask before the synchronization deletes or overwrites anything on this machine "
            + "(answer on standard input; no answer within 5 minutes or end of input = no)")
    boolean confirmChanges;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long to wait for the relay or a member in each step (default 20)")
    int timeoutSeconds = 20;
}
