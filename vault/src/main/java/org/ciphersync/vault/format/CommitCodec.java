package org.ciphersync.vault.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.keys.NamespaceKeys;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.Commit;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.tree.BlobId;
import org.ciphersync.vault.tree.VaultPath;

/**
 * Commits as stored: JSON sealed under the namespace's index key with context
 * {@code vault(vaultId, ns, "commit", computerId, seq)}, so a commit cannot be moved to another
 * computer's log, another position or another namespace.
 */
public final class CommitCodec {
    /** Largest sealed commit accepted. */
    public static final int MAX_SIZE = 16 << 20;

    private CommitCodec() {
    }

    public static byte[] encode(String vaultId, NamespaceKeys keys, Commit c) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("seq", c.seq());
        o.put("prev", c.prev());
        o.put("computer", c.computer().hex());
        o.put("computerName", c.computerName());
        o.put("user", c.user());
        o.put("time", c.time());
        o.put("namespace", c.namespace());
        ArrayNode roots = o.putArray("roots");
        c.roots().forEach(r -> roots.add(r.toString()));
        o.put("tree", c.tree().hex());
        ArrayNode idx = o.putArray("indexes");
        c.indexes().forEach(idx::add);
        ObjectNode s = o.putObject("stats");
        Commit.Stats st = c.stats();
        s.put("files", st.files());
        s.put("bytes", st.bytes());
        s.put("newFiles", st.newFiles());
        s.put("changedFiles", st.changedFiles());
        s.put("removedFiles", st.removedFiles());
        s.put("newBytes", st.newBytes());
        s.put("uploadedBytes", st.uploadedBytes());
        return Seal.seal(keys.indexKey(), context(vaultId, keys.namespace(), c.computer(), c.seq()), Json.write(o));
    }

    /** Opens and validates commit {@code seq} of {@code computer} in the keys' namespace. */
    public static Commit decode(String vaultId, NamespaceKeys keys, ComputerId computer, long seq, byte[] sealed) {
        String what = "commit " + seq + " of computer " + computer.shortForm();
        if (sealed.length > MAX_SIZE) {
            throw VaultException.integrity(what + " is " + sealed.length + " bytes, more than " + MAX_SIZE);
        }
        JsonNode n = Json.read(Seal.open(keys.indexKey(), context(vaultId, keys.namespace(), computer, seq), sealed, what), what);
        try {
            if (Json.number(n, "seq", what) != seq || !computer.hex().equals(Json.text(n, "computer", what))
                    || !keys.namespace().equals(Json.text(n, "namespace", what))) {
                throw VaultException.integrity(what + " does not describe its own place");
            }
            List<VaultPath> roots = new ArrayList<>();
            JsonNode r = n.path("roots");
            if (!r.isArray() || r.size() > Commit.MAX_ROOTS) {
                throw VaultException.integrity(what + " has no valid roots");
            }
            r.forEach(x -> roots.add(VaultPath.parse(x.asText())));
            List<String> indexes = new ArrayList<>();
            JsonNode ix = n.path("indexes");
            if (!ix.isArray() || ix.size() > Commit.MAX_INDEXES) {
                throw VaultException.integrity(what + " has no valid index list");
            }
            for (JsonNode x : ix) {
                String name = x.asText();
                if (!BlobName.isValid(BlobType.INDEX, name) || ObjectNames.indexHash(BlobName.of(BlobType.INDEX, name)) == null) {
                    throw VaultException.integrity(what + " names an invalid index object");
                }
                indexes.add(name);
            }
            JsonNode s = n.path("stats");
            Commit.Stats stats = new Commit.Stats(s.path("files").asLong(), s.path("bytes").asLong(), s.path("newFiles").asLong(),
                    s.path("changedFiles").asLong(), s.path("removedFiles").asLong(), s.path("newBytes").asLong(),
                    s.path("uploadedBytes").asLong());
            return new Commit(seq, Json.text(n, "prev", what), computer, ComputerRecord.clean(Json.text(n, "computerName", what)),
                    ComputerRecord.clean(Json.text(n, "user", what)), Json.number(n, "time", what), keys.namespace(), roots,
                    BlobId.parse(Json.text(n, "tree", what)), indexes, stats);
        } catch (IllegalArgumentException e) {
            throw VaultException.integrity(what + " is invalid: " + e.getMessage(), e);
        }
    }

    private static AeadContext context(String vaultId, String ns, ComputerId c, long seq) {
        return AeadContext.vault(vaultId, ns, "commit", c.bytes(), seq);
    }
}
