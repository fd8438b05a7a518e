package org.ciphersync.cli.vault;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ciphersync vault …}: the encrypted vault on storage the user owns (seed 003). Its subcommands
 * are registered in {@code CommandTree}.
 */
@Command(name = "vault", mixinStandardHelpOptions = true,
        description = {"The encrypted vault on storage you own, shared by the chain of your computers.",
                "Scripts give the master password with --password-file FILE (which may be /dev/stdin)."},
        footer = {"", "Exit codes: 0 done, 1 some items failed, 2 usage error, 3 refused by a safety guard (nothing changed),", "4 wrong password, 5 vault data failed its integrity check or went back in time, 6 storage unreachable,", "7 local I/O error."})
public final class VaultCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
