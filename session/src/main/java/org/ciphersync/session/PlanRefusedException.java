package org.ciphersync.session;

/**
 * The leader's plan was refused before anything was ordered: the consistency checker found
 * contradictory actions, or the rules name nodes the comparison does not have. The message says why.
 */
public final class PlanRefusedException extends SessionException {
    private static final long serialVersionUID = 1L;

    public PlanRefusedException(String message) {
        super(message);
    }
}
