package org.ciphersync.vault;

import java.util.Objects;

/**
 * The vault's one family of user-facing failures. The {@link Kind} tells the command line which
 * exit code to use; the message says what failed and what to do, and never contains a secret.
 */
public class VaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Classes of failure, each mapped to one exit code by the CLI. */
    public enum Kind {
        /** No key slot opens with the given password or recovery key (exit 4). */
        WRONG_PASSWORD,
        /** Stored data failed its integrity check: corrupt, tampered, swapped or truncated (exit 5). */
        INTEGRITY,
        /** A log went backwards compared with what this computer saw before (exit 5). */
        ROLLBACK,
        /** A safety guard refused the run (mass delete, other user, not initialized); nothing changed (exit 3). */
        REFUSED,
        /** The location holds no vault, or a vault already exists where one is to be created (exit 3). */
        NOT_A_VAULT,
        /** The storage failed (exit 6 when transient, 7 otherwise). */
        STORAGE,
        /** Wrong use: unknown namespace name, bad time or id, missing path (exit 2). */
        USAGE
    }

    private final Kind kind;

    public VaultException(Kind kind, String message) {
        super(Objects.requireNonNull(message, "message == null"));
        this.kind = Objects.requireNonNull(kind, "kind == null");
    }

    public VaultException(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message == null"), cause);
        this.kind = Objects.requireNonNull(kind, "kind == null");
    }

    public Kind kind() {
        return kind;
    }

    public static VaultException integrity(String message) {
        return new VaultException(Kind.INTEGRITY, message);
    }

    public static VaultException integrity(String message, Throwable cause) {
        return new VaultException(Kind.INTEGRITY, message, cause);
    }

    public static VaultException wrongPassword() {
        return new VaultException(Kind.WRONG_PASSWORD, "wrong password");
    }
}
