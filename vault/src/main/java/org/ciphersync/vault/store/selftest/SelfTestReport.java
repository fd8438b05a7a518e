package org.ciphersync.vault.store.selftest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a {@link StoreSelfTest}: one {@link Check} per step, in order.
 *
 * @param location the store's redacted location
 * @param checks   the steps that ran; after the first failure the remaining steps are skipped
 */
public record SelfTestReport(String location, List<Check> checks) {

    /** How a step ended. */
    public enum Status {
        /** The backend behaved as the vault needs. */
        PASSED,
        /** The vault works, but with a limitation the message explains. */
        WARNING,
        /** The vault cannot work on this backend as configured; the message says what to fix. */
        FAILED
    }

    /**
     * One step.
     *
     * @param step    short name: {@code prepare}, {@code write}, {@code size}, {@code list}, …
     * @param status  how it ended
     * @param message plain-words explanation for the person at the keyboard
     * @param took    how long the step took
     */
    public record Check(String step, Status status, String message, Duration took) {
        public Check {
            Objects.requireNonNull(step, "step == null");
            Objects.requireNonNull(status, "status == null");
            Objects.requireNonNull(message, "message == null");
            Objects.requireNonNull(took, "took == null");
        }
    }

    public SelfTestReport {
        Objects.requireNonNull(location, "location == null");
        checks = List.copyOf(checks);
    }

    /** True when no step failed (warnings allowed). */
    public boolean passed() {
        return checks.stream().noneMatch(c -> c.status() == Status.FAILED);
    }

    /** The checks that did not pass. */
    public List<Check> problems() {
        return checks.stream().filter(c -> c.status() != Status.PASSED).toList();
    }

    /** A multi-line text for the terminal: one line per step, problems first explained. */
    public String describe() {
        StringBuilder b = new StringBuilder("Storage self-test of ").append(location).append(": ")
                .append(passed() ? (problems().isEmpty() ? "all checks passed" : "usable, with warnings") : "FAILED")
                .append('\n');
        for (Check c : checks) {
            b.append("  ").append(switch (c.status()) {
                case PASSED -> "ok   ";
                case WARNING -> "warn ";
                case FAILED -> "FAIL ";
            }).append(c.step()).append(" (").append(c.took().toMillis()).append(" ms): ").append(c.message()).append('\n');
        }
        return b.toString();
    }
}
