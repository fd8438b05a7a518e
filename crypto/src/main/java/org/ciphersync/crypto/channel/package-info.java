/**
 * Ordered AEAD frames under directional keys: the join channel after a PAKE run (it carries the
 * group key to the joiner) and, with keys from the group key, session traffic. The sequence
 * number is implicit and in the nonce, so the relay cannot drop, replay or reorder frames
 * undetected.
 */
package org.ciphersync.crypto.channel;
