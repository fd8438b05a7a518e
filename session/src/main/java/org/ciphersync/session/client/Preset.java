package org.ciphersync.session.client;

/** The ready-made synchronization rules the leader can choose (S10). */
public enum Preset {
    /** The first node (A's first source) onto every other node, deletes included. */
    MIRROR,
    /** Like mirror, but nothing is deleted on the targets. */
    UPDATE,
    /** Changes on any node go to the others; conflicts keep both versions. */
    TWO_WAY
}
