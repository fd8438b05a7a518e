package org.ciphersync.session;

/** Exit was asked while an inventory or synchronization runs; ask the person to confirm, then leave with confirmation. */
public final class RunInProgressException extends SessionException {
    private static final long serialVersionUID = 1L;

    public RunInProgressException(String message) {
        super(message);
    }
}
