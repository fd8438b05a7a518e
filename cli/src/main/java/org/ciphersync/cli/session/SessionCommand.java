package org.ciphersync.cli.session;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ciphersync session}: Cloud Sessions (S1–S7) through a relay that sees only ciphertext. Its
 * subcommands are registered in {@code CommandTree}.
 */
@Command(name = "session", sortOptions = false,
        description = {"Synchronize 2-5 machines through a relay with end-to-end encryption.",
                "One member starts a session and reads out its ID and password; the others join with them."})
public final class SessionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
