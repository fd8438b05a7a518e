package org.ciphersync.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The one place where failures become messages and exit codes. Commands throw; this maps.
 * Messages name what failed and what to do; stack traces only with {@code CIPHERSYNC_DEBUG=1}.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    /** A failure as the user sees it. */
    record Failure(ExitCode code, String message) {
    }

    /** Mappers contributed by modules' exception families, tried in order before the generic ones. */
    private static final List<Function<Throwable, Failure>> MAPPERS = ModuleFailures.mappers();

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        Failure f = map(ex);
        PrintWriter err = cl.getErr();
        err.println("ciphersync: " + f.message());
        if ("1".equals(System.getenv("CIPHERSYNC_DEBUG")) || f.code() == ExitCode.INTERNAL) {
            ex.printStackTrace(err);
        }
        err.flush();
        return f.code().code();
    }

    static Failure map(Throwable ex) {
        Throwable t = ex;
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            t = u.getCause();
        }
        if (t instanceof CliException c) {
            return new Failure(c.exitCode(), c.getMessage());
        }
        for (Function<Throwable, Failure> m : MAPPERS) {
            Failure f = m.apply(t);
            if (f != null) {
                return f;
            }
        }
        if (t instanceof InterruptedException) {
            return new Failure(ExitCode.INTERRUPTED, "interrupted");
        }
        if (t instanceof NoSuchFileException e) {
            return new Failure(ExitCode.IO, "no such file or folder: " + e.getFile());
        }
        if (t instanceof AccessDeniedException e) {
            return new Failure(ExitCode.IO, "permission denied: " + e.getFile()
                    + " (check the owner and permissions of that path)");
        }
        if (t instanceof ConnectException || t instanceof UnknownHostException) {
            return new Failure(ExitCode.UNAVAILABLE, "cannot connect: " + t.getMessage()
                    + " (is the server running and the address right?)");
        }
        if (t instanceof FileSystemException e && e.getReason() != null
                && e.getReason().toLowerCase(java.util.Locale.ROOT).contains("no space")) {
            return new Failure(ExitCode.IO, "the disk is full while writing " + e.getFile()
                    + "; free some space and run again (nothing partial was left under a final name)");
        }
        if (t instanceof IOException e) {
            return new Failure(ExitCode.IO, "I/O error: " + e.getMessage());
        }
        return new Failure(ExitCode.INTERNAL, "internal error: " + t
                + " (this is a bug; please report it with the stack trace below)");
    }
}
