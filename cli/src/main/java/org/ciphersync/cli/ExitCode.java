package org.ciphersync.cli;

/**
 * Process exit codes, the contract with scripts. Documented in the README; change only with it.
 */
public enum ExitCode {
    /** Everything asked for was done. */
    OK(0),
    /** The run finished but some items failed; the others were done. Details per item. */
    PARTIAL(1),
    /** The command line was wrong. */
    USAGE(2),
    /** A safety guard refused the run (mass delete, missing or empty source, contradictory plan); nothing was changed. */
    REFUSED(3),
    /** Wrong password, or an authentication step failed. */
    AUTH(4),
    /** Stored or received data failed its integrity check (tampered or corrupt). */
    INTEGRITY(5),
    /** A server or storage could not be reached; try again later. */
    UNAVAILABLE(6),
    /** A local file-system error stopped the run (disk full, permission denied, …). */
    IO(7),
    /** A bug: please report it with the output of --verbose. */
    INTERNAL(10),
    /** Interrupted (Ctrl-C). */
    INTERRUPTED(130);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
