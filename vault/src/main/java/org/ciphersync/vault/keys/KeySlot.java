package org.ciphersync.vault.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import java.util.Objects;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.kdf.Argon2idParams;
import org.ciphersync.vault.VaultException;

/**
 * One key slot: the vault root key wrapped under a key derived from a password or the recovery
 * key. Stored as {@code keys/<slotId>} in plaintext JSON (everything in it is either public
 * parameters or ciphertext):
 *
 * <pre>
 * {"version":1, "slot":"&lt;16 hex&gt;", "kind":"password"|"recovery",
 *  "kdf":"&lt;base64 of Argon2idParams.encode()&gt;" (password) | "salt":"&lt;base64 32 bytes&gt;" (recovery),
 *  "wrapped":"&lt;base64 Envelope of the root key&gt;"}
 * </pre>
 *
 * @param slotId  16 lowercase hex characters, also the object name
 * @param kind    what unlocks it
 * @param params  Argon2id parameters (password slots) or null
 * @param salt    HKDF salt (recovery slots) or null
 * @param wrapped the root key sealed with crypto's {@code Envelope} under the slot's KEK
 */
public record KeySlot(String slotId, SlotKind kind, Argon2idParams params, byte[] salt, byte[] wrapped) {
    /** Largest slot object accepted from storage. */
    public static final int MAX_SIZE = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    public KeySlot {
        Objects.requireNonNull(slotId, "slotId == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(wrapped, "wrapped == null");
        if (!slotId.matches("[0-9a-f]{16}")) {
            throw new IllegalArgumentException("slot id '" + slotId.replaceAll("[^\\x20-\\x7e]", "?") + "' is not 16 lowercase hex characters");
        }
        if ((kind == SlotKind.PASSWORD) != (params != null) || (kind == SlotKind.RECOVERY) != (salt != null)) {
            throw new IllegalArgumentException("slot " + slotId + " of kind " + kind + " has the wrong parameters");
        }
        if (wrapped.length > 1024) {
            throw new IllegalArgumentException("slot " + slotId + " wrapped key is " + wrapped.length + " bytes");
        }
    }

    public byte[] encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", 1);
        o.put("slot", slotId);
        o.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        Base64.Encoder b64 = Base64.getEncoder();
        if (params != null) {
            o.put("kdf", b64.encodeToString(params.encode()));
        }
        if (salt != null) {
            o.put("salt", b64.encodeToString(salt));
        }
        o.put("wrapped", b64.encodeToString(wrapped));
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a slot read from storage; anything unexpected is an integrity error naming the slot. */
    public static KeySlot decode(String expectedSlotId, byte[] bytes) {
        if (bytes.length > MAX_SIZE) {
            throw VaultException.integrity("key slot " + expectedSlotId + " is " + bytes.length + " bytes, more than " + MAX_SIZE);
        }
        try {
            JsonNode o = JSON.readTree(bytes);
            if (o == null || !o.isObject() || o.path("version").asInt() != 1) {
                throw VaultException.integrity("key slot " + expectedSlotId + " has an unknown format version");
            }
            String slot = o.path("slot").asText();
            if (!expectedSlotId.equals(slot)) {
                throw VaultException.integrity("key slot " + expectedSlotId + " names itself '" + slot.replaceAll("[^\\x20-\\x7e]", "?") + "'");
            }
            SlotKind kind = switch (o.path("kind").asText()) {
                case "password" -> SlotKind.PASSWORD;
                case "recovery" -> SlotKind.RECOVERY;
                default -> throw VaultException.integrity("key slot " + expectedSlotId + " has an unknown kind");
            };
            Base64.Decoder b64 = Base64.getDecoder();
            Argon2idParams params = null;
            byte[] salt = null;
            if (kind == SlotKind.PASSWORD) {
                byte[] enc = b64.decode(o.path("kdf").asText());
                params = Argon2idParams.decode(enc, 0, enc.length);
            } else {
                salt = b64.decode(o.path("salt").asText());
                if (salt.length != 32) {
                    throw VaultException.integrity("key slot " + expectedSlotId + " has a salt of " + salt.length + " bytes");
                }
            }
            return new KeySlot(slot, kind, params, salt, b64.decode(o.path("wrapped").asText()));
        } catch (IOException | IllegalArgumentException | MalformedCiphertextException e) {
            throw VaultException.integrity("key slot " + expectedSlotId + " is malformed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "KeySlot[" + slotId + ", " + kind + "]";
    }
}
