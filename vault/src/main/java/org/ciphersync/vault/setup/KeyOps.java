package org.ciphersync.vault.setup;

import java.security.SecureRandom;
import java.util.List;
import org.ciphersync.crypto.kdf.Argon2idParams;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.vault.keys.KeyRing;
import org.ciphersync.vault.keys.KeySlot;
import org.ciphersync.vault.keys.RecoveryKey;
import org.ciphersync.vault.keys.SlotKind;
import org.ciphersync.vault.repo.Repository;

/**
 * {@code vault passwd} and {@code vault recovery-key} (V2): both only add and remove key slots;
 * data, index and logs are untouched. The new slot is written before old ones are removed, so a
 * crash in between leaves a vault that both passwords open.
 */
public final class KeyOps {
    private KeyOps() {
    }

    /** Replaces every password slot by one for {@code newPassword}. */
    public static void changePassword(Repository repo, Password newPassword, Argon2idParams kdf) {
        List<KeySlot> old = repo.slots();
        KeySlot fresh = KeyRing.passwordSlot(repo.vaultId(), repo.keys().rootKey(), newPassword, kdf, new SecureRandom());
        repo.saveSlot(fresh);
        for (KeySlot s : old) {
            if (s.kind() == SlotKind.PASSWORD) {
                repo.deleteSlot(s.slotId());
            }
        }
    }

    /**
     * Makes a new recovery key, replacing any previous one, and returns its printable form (shown
     * once, stored nowhere).
     */
    public static String newRecoveryKey(Repository repo) {
        List<KeySlot> old = repo.slots();
        SecureRandom rng = new SecureRandom();
        try (SecretBytes key = RecoveryKey.random(rng)) {
            KeySlot fresh = KeyRing.recoverySlot(repo.vaultId(), repo.keys().rootKey(), key, rng);
            repo.saveSlot(fresh);
            for (KeySlot s : old) {
                if (s.kind() == SlotKind.RECOVERY) {
                    repo.deleteSlot(s.slotId());
                }
            }
            return RecoveryKey.format(key);
        }
    }
}
