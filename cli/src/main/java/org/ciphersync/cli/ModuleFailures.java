package org.ciphersync.cli;

import java.util.List;
import java.util.function.Function;
import org.ciphersync.core.path.InvalidPathException;
import org.ciphersync.core.plan.SyncRefusedException;

/** Maps each module's user-facing exception family to an exit code and message. */
final class ModuleFailures {
    private ModuleFailures() {
    }

    static List<Function<Throwable, Failures.Failure>> mappers() {
        return List.of(
                t -> t instanceof SyncRefusedException e
                        ? new Failures.Failure(ExitCode.REFUSED, e.getMessage() + " (nothing was changed)") : null,
                t -> t instanceof InvalidPathException e
                        ? new Failures.Failure(ExitCode.INTEGRITY, e.getMessage() + " (refused: it could escape its folder)") : null);
    }
}
