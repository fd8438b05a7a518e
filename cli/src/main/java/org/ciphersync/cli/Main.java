package org.ciphersync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ciphersync} command; its subcommands are registered in {@link CommandTree}. */
@Command(name = "ciphersync", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Version.class,
        description = "End-to-end encrypted file synchronization between your machines.")
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        quietLibraryLogging();
        System.exit(run(args));
    }

    /**
     * Everything a person needs is said by the commands themselves (progress, results, the final
     * error). Library logs (per-attempt retries of a storage, say) would only interleave with that
     * output, even after the final message, so they are off unless {@code CIPHERSYNC_DEBUG=1}.
     */
    static void quietLibraryLogging() {
        if ("1".equals(System.getenv("CIPHERSYNC_DEBUG"))) {
            return;
        }
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.OFF);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.OFF);
        }
    }

    /** Runs the command line and returns the exit code (tests call this through the real entry point). */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /** Runs with the given output and error writers (null: standard ones). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = CommandTree.commandLine(args);
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        cl.setExecutionExceptionHandler(new Failures());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("ciphersync: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for usage.");
            return ExitCode.USAGE.code();
        });
        return cl.execute(args);
    }
}
