package org.ciphersync.vault.store;

import java.io.IOException;
import java.util.Objects;

/**
 * A failed store operation, classified so that callers can act without parsing messages.
 *
 * <ul>
 *   <li>{@link Kind#NOT_FOUND}: the named object does not exist. Permanent.</li>
 *   <li>{@link Kind#PERMANENT}: repeating the same call will fail the same way (bad
 *       credentials, unknown host key, missing bucket, object too large, a range beyond the
 *       end, a source whose length is wrong). Never retried.</li>
 *   <li>{@link Kind#TRANSIENT}: the call may succeed if repeated (connection refused or reset,
 *       timeout, HTTP 5xx, 429 throttling). The retry decorator repeats these.</li>
 * </ul>
 * Each backend classifies its own errors. Messages name what failed and, where possible, what
 * to do; they MUST NOT contain secrets (use redacted locations).
 */
public class StoreException extends IOException {

    /** How an error behaves when the call is repeated. */
    public enum Kind {
        NOT_FOUND, PERMANENT, TRANSIENT
    }

    private static final long serialVersionUID = 1L;

    private final Kind kind;

    public StoreException(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message == null"), cause);
        this.kind = Objects.requireNonNull(kind, "kind == null");
    }

    public StoreException(Kind kind, String message) {
        this(kind, message, null);
    }

    /** {@code name} does not exist at {@code location}. */
    public static StoreException notFound(BlobName name, String location) {
        return new StoreException(Kind.NOT_FOUND, name + " not found in " + location);
    }

    /** A failure that repeating will not fix. */
    public static StoreException permanent(String message, Throwable cause) {
        return new StoreException(Kind.PERMANENT, message, cause);
    }

    /** A failure that may go away when the call is repeated. */
    public static StoreException transientFailure(String message, Throwable cause) {
        return new StoreException(Kind.TRANSIENT, message, cause);
    }

    /**
     * The first {@code StoreException} in the cause chain of {@code t} (itself included), or null.
     * Backends use it to keep the classification of a {@link SaveStream} failure that an HTTP or
     * SSH library wrapped into its own exception.
     */
    public static StoreException findIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StoreException s) {
                return s;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    public Kind kind() {
        return kind;
    }

    /** True for {@link Kind#NOT_FOUND} and {@link Kind#PERMANENT}. */
    public boolean isPermanent() {
        return kind != Kind.TRANSIENT;
    }

    public boolean isTransient() {
        return kind == Kind.TRANSIENT;
    }

    public boolean isNotFound() {
        return kind == Kind.NOT_FOUND;
    }
}
