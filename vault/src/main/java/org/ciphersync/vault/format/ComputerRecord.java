package org.ciphersync.vault.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.ComputerId;

/**
 * A computer of the chain, {@code log/<id>}: sealed JSON {@code {"id","name","user","joined"}} under
 * the chain key, bound to its id.
 */
public record ComputerRecord(ComputerId id, String name, String user, long joined) {
    public static final int MAX_SIZE = 16 * 1024;

    public byte[] encode(String vaultId, SecretBytes chainKey) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", id.hex());
        o.put("name", name);
        o.put("user", user);
        o.put("joined", joined);
        return Seal.seal(chainKey, context(vaultId, id), Json.write(o));
    }

    public static ComputerRecord decode(String vaultId, SecretBytes chainKey, ComputerId expected, byte[] sealed) {
        String what = "the record of computer " + expected.shortForm();
        if (sealed.length > MAX_SIZE) {
            throw VaultException.integrity(what + " is " + sealed.length + " bytes");
        }
        JsonNode n = Json.read(Seal.open(chainKey, context(vaultId, expected), sealed, what), what);
        if (!expected.hex().equals(Json.text(n, "id", what))) {
            throw VaultException.integrity(what + " names another computer");
        }
        return new ComputerRecord(expected, clean(Json.text(n, "name", what)), clean(Json.text(n, "user", what)),
                Json.number(n, "joined", what));
    }

    private static AeadContext context(String vaultId, ComputerId id) {
        return AeadContext.vault(vaultId, "", "computer", id.bytes(), 0);
    }

    /** Names shown to people: no control characters, bounded length. */
    static String clean(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 200 ? t.substring(0, 200) : t;
    }
}
