package org.ciphersync.vault.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.kdf.Argon2idParams;
import org.ciphersync.crypto.kdf.Hkdf;
import org.ciphersync.crypto.kdf.PasswordKdf;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.vault.VaultException;

/**
 * Wraps and unwraps the vault root key in {@link KeySlot}s (docs/design.md (Vault) §3).
 *
 * <p>Password slot: {@code KEK = Argon2id(password, params)}; recovery slot:
 * {@code KEK = HKDF-SHA-256(salt, recoveryKey, "ciphersync/v1/vault/recovery-slot")}. In both,
 * {@code wrapped = Envelope(KEK).seal(vault(vaultId, "", "key-slot", slotId, 0), rootKey)}, so a
 * slot copied to another vault or renamed does not open.
 */
public final class KeyRing {
    private static final byte[] RECOVERY_INFO = "ciphersync/v1/vault/recovery-slot".getBytes(StandardCharsets.US_ASCII);

    private KeyRing() {
    }

    /** A new password slot for {@code rootKey}. Takes one Argon2id derivation. */
    public static KeySlot passwordSlot(String vaultId, SecretBytes rootKey, Password password, Argon2idParams params, SecureRandom rng) {
        Objects.requireNonNull(password, "password == null");
        String slotId = newSlotId(rng);
        try (SecretBytes kek = PasswordKdf.derive(password, params)) {
            return new KeySlot(slotId, SlotKind.PASSWORD, params, null, wrap(vaultId, slotId, kek, rootKey, rng));
        }
    }

    /** A new recovery slot for {@code rootKey} unlocked by {@code recoveryKey}. */
    public static KeySlot recoverySlot(String vaultId, SecretBytes rootKey, SecretBytes recoveryKey, SecureRandom rng) {
        String slotId = newSlotId(rng);
        byte[] salt = new byte[32];
        rng.nextBytes(salt);
        try (SecretBytes kek = recoveryKek(salt, recoveryKey)) {
            return new KeySlot(slotId, SlotKind.RECOVERY, null, salt, wrap(vaultId, slotId, kek, rootKey, rng));
        }
    }

    /**
     * Opens the first password slot {@code password} unlocks.
     *
     * @throws VaultException {@code WRONG_PASSWORD} when none does ("wrong password", nothing else)
     */
    public static Unlocked unlock(String vaultId, List<KeySlot> slots, Password password) {
        for (KeySlot s : slots) {
            if (s.kind() != SlotKind.PASSWORD) {
                continue;
            }
            try (SecretBytes kek = PasswordKdf.derive(password, s.params())) {
                SecretBytes root = tryUnwrap(vaultId, s, kek);
                if (root != null) {
                    return new Unlocked(s, root);
                }
            }
        }
        throw VaultException.wrongPassword();
    }

    /** Opens the first recovery slot {@code recoveryKey} unlocks, else "wrong recovery key". */
    public static Unlocked unlockWithRecoveryKey(String vaultId, List<KeySlot> slots, SecretBytes recoveryKey) {
        for (KeySlot s : slots) {
            if (s.kind() != SlotKind.RECOVERY) {
                continue;
            }
            try (SecretBytes kek = recoveryKek(s.salt(), recoveryKey)) {
                SecretBytes root = tryUnwrap(vaultId, s, kek);
                if (root != null) {
                    return new Unlocked(s, root);
                }
            }
        }
        throw new VaultException(VaultException.Kind.WRONG_PASSWORD, "wrong recovery key");
    }

    /** The slot that opened and the root key (the caller closes it). */
    public record Unlocked(KeySlot slot, SecretBytes rootKey) {
    }

    private static SecretBytes tryUnwrap(String vaultId, KeySlot s, SecretBytes kek) {
        try {
            byte[] root = new Envelope(kek).open(context(vaultId, s.slotId()), s.wrapped());
            if (root.length != 32) {
                java.util.Arrays.fill(root, (byte) 0);
                throw VaultException.integrity("key slot " + s.slotId() + " holds a key of " + root.length + " bytes");
            }
            return SecretBytes.adopt(root);
        } catch (CryptoException e) {
            return null;
        }
    }

    private static byte[] wrap(String vaultId, String slotId, SecretBytes kek, SecretBytes rootKey, SecureRandom rng) {
        return new Envelope(kek, rng).seal(context(vaultId, slotId), rootKey.expose());
    }

    private static SecretBytes recoveryKek(byte[] salt, SecretBytes recoveryKey) {
        return SecretBytes.adopt(Hkdf.derive(salt, recoveryKey.expose(), RECOVERY_INFO, 32));
    }

    private static AeadContext context(String vaultId, String slotId) {
        return AeadContext.vault(vaultId, "", "key-slot", HexFormat.of().parseHex(slotId), 0);
    }

    private static String newSlotId(SecureRandom rng) {
        byte[] b = new byte[8];
        rng.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
