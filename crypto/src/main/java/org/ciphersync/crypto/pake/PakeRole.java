package org.ciphersync.crypto.pake;

/** The two sides of a join: the member that admits (creator) and the candidate (joiner). */
public enum PakeRole {
    CREATOR(1, "creator"), JOINER(2, "joiner");

    final int code;
    final String label;

    PakeRole(int code, String label) {
        this.code = code;
        this.label = label;
    }

    PakeRole peer() {
        return this == CREATOR ? JOINER : CREATOR;
    }
}
