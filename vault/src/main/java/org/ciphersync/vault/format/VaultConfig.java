package org.ciphersync.vault.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Base64;
import org.ciphersync.core.chunk.ChunkerParams;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.vault.VaultException;

/**
 * The vault's configuration, {@code config/vault}: plaintext JSON that is readable before unlocking
 * (the vault id is needed to open key slots) plus a sealed copy of the same canonical bytes, checked
 * after unlocking, so an edited config is detected.
 *
 * <pre>{"format":2, "vault":"&lt;32 hex&gt;", "created":ms, "chunkMin":…, "chunkAvg":…, "chunkMax":…,
 *  "packSize":16777216, "zstd":3, "sealed":"&lt;base64 Envelope(chainKey, vault(id,"","config"), canonical)&gt;"}</pre>
 */
public record VaultConfig(int format, String vaultId, long created, ChunkerParams chunker, int packSize, int zstdLevel) {
    /**
     * The vault format this code reads and writes. 2: blobs are sealed as crypto streams of 64 KiB
     * segments instead of one envelope each (see {@link BlobCodec}); format 1 vaults predate any
     * release and are not read.
     */
    public static final int FORMAT = 2;
    public static final int MAX_SIZE = 64 * 1024;
    public static final int DEFAULT_PACK_SIZE = 16 << 20;

    public VaultConfig {
        if (!vaultId.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("vault id is not 32 lowercase hex characters");
        }
        if (packSize < (1 << 16) || packSize > (32 << 20)) {
            throw new IllegalArgumentException("pack size " + packSize + " outside 64 KiB..32 MiB");
        }
        if (zstdLevel < 0 || zstdLevel > 19) {
            throw new IllegalArgumentException("zstd level " + zstdLevel + " outside 0..19");
        }
    }

    private byte[] canonical() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("format", format);
        o.put("vault", vaultId);
        o.put("created", created);
        o.put("chunkMin", chunker.minSize());
        o.put("chunkAvg", chunker.avgSize());
        o.put("chunkMax", chunker.maxSize());
        o.put("packSize", packSize);
        o.put("zstd", zstdLevel);
        return Json.write(o);
    }

    public byte[] encode(SecretBytes chainKey) {
        ObjectNode o = (ObjectNode) Json.read(canonical(), "config");
        o.put("sealed", Base64.getEncoder().encodeToString(Seal.seal(chainKey, context(vaultId), canonical())));
        return Json.write(o);
    }

    /** Parses the plaintext part (before unlocking). */
    public static VaultConfig decode(byte[] bytes) {
        if (bytes.length > MAX_SIZE) {
            throw VaultException.integrity("the vault config is " + bytes.length + " bytes, more than " + MAX_SIZE);
        }
        JsonNode n = Json.read(bytes, "the vault config");
        long format = Json.number(n, "format", "the vault config");
        if (format > FORMAT) {
            throw new VaultException(VaultException.Kind.NOT_A_VAULT, "the vault has format version " + format
                    + "; this ciphersync reads version " + FORMAT + " (upgrade ciphersync)");
        }
        if (format != FORMAT) {
            throw new VaultException(VaultException.Kind.NOT_A_VAULT, "the vault has format version " + format
                    + ", written by a pre-release ciphersync; this ciphersync reads only version " + FORMAT
                    + " (restore its files with the ciphersync that wrote it, then create a new vault)");
        }
        try {
            return new VaultConfig((int) format, Json.text(n, "vault", "config"), Json.number(n, "created", "config"),
                    new ChunkerParams((int) Json.number(n, "chunkMin", "config"), (int) Json.number(n, "chunkAvg", "config"),
                            (int) Json.number(n, "chunkMax", "config")),
                    (int) Json.number(n, "packSize", "config"), (int) Json.number(n, "zstd", "config"));
        } catch (IllegalArgumentException e) {
            throw VaultException.integrity("the vault config is invalid: " + e.getMessage(), e);
        }
    }

    /** After unlocking: checks that the sealed copy matches the plaintext fields. */
    public void verify(byte[] bytes, SecretBytes chainKey) {
        JsonNode n = Json.read(bytes, "the vault config");
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(Json.text(n, "sealed", "the vault config"));
        } catch (IllegalArgumentException e) {
            throw VaultException.integrity("the vault config's sealed copy is not base64");
        }
        byte[] inner = Seal.open(chainKey, context(vaultId), sealed, "the vault config");
        if (!Arrays.equals(inner, canonical())) {
            throw VaultException.integrity("the vault config was modified (its fields differ from the sealed copy)");
        }
    }

    private static AeadContext context(String vaultId) {
        return AeadContext.vault(vaultId, "", "config", new byte[0], 0);
    }
}
