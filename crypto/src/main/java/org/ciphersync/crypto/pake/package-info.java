/**
 * Password-authenticated key exchange for joining a session: EC J-PAKE (Bouncy Castle,
 * P-256/SHA-256) with our transcript binding and key confirmation.
 *
 * <p>Algorithm sketch. Each side sends R1 = (its identity public keys, G·x1, G·x2, Schnorr
 * proofs), then R2 = (A = (G1+G3+G4)·x2·s, proof), where s is the canonical session password.
 * J-PAKE participant ids contain the role and the session ID, so proofs do not transfer between
 * sessions or roles. After R2 both compute K (J-PAKE keying material) and
 * {@code T = SHA-256("ciphersync-pake-v1" ‖ lp16(sessionId) ‖ R1_c ‖ R1_j ‖ R2_c ‖ R2_j)};
 * {@code PRK = HKDF-Extract(T, K)} gives per-role confirmation keys and per-direction channel
 * keys. R3 = HMAC(confirm key of the sender, "…confirm" ‖ T) ‖ Ed25519 signature of
 * ("…signature" ‖ role ‖ T).
 *
 * <p>Invariants: equal passwords and an unmodified exchange give equal T and keys on both sides;
 * a different password gives unrelated K, so both R3 tags fail and both sides raise
 * {@code PakeFailedException}; an attacker without the password learns from one run only whether
 * the single password it used was right (one online guess); any modified R1/R2 fails a Schnorr
 * proof or changes T; the identities are in T and each side proves possession of its Ed25519 key,
 * so {@code PakeResult.peer()} is authenticated.
 */
package org.ciphersync.crypto.pake;
