package org.ciphersync.vault.tree;

/** A tree blob that does not parse: corrupt or hostile storage content (after authentication, a bug or a malicious computer). */
public final class TreeFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TreeFormatException(String message) {
        super(message);
    }

    public TreeFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
