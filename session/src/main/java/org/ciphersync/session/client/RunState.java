package org.ciphersync.session.client;

/** Where the leader's run stands (S5, S8–S11); Exit asks for confirmation unless {@link #IDLE}. */
public enum RunState {
    IDLE, INVENTORY, SYNCHRONIZATION;

    public boolean inProgress() {
        return this != IDLE;
    }
}
