package org.ciphersync.vault.prune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.format.ObjectNames;
import org.ciphersync.vault.format.Seal;
import org.ciphersync.vault.repo.Repository;
import org.ciphersync.vault.store.BlobName;

/**
 * The maintenance lease of a pruning computer, {@code leases/prune.<C>}: who holds it, until when,
 * and the deletion candidates with the time each was first seen unreferenced (docs/design.md (Vault) §7).
 * Sealed under the chain key, bound to its name.
 */
public record Lease(ComputerId holder, long start, long expires, Map<String, Long> candidates) {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int MAX_SIZE = 64 << 20;

    public Lease {
        candidates = Map.copyOf(candidates);
    }

    public void save(Repository repo) {
        ObjectNode o = JSON.createObjectNode();
        o.put("holder", holder.hex());
        o.put("start", start);
        o.put("expires", expires);
        ObjectNode c = o.putObject("candidates");
        new TreeMap<>(candidates).forEach(c::put);
        BlobName name = ObjectNames.pruneLease(holder);
        try {
            repo.put(name, Seal.seal(repo.keys().chainKey(), context(repo, name), JSON.writeValueAsBytes(o)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Lease load(Repository repo, ComputerId holder) {
        BlobName name = ObjectNames.pruneLease(holder);
        byte[] plain = Seal.open(repo.keys().chainKey(), context(repo, name), repo.load(name, MAX_SIZE), "the prune lease of " + holder.shortForm());
        try {
            JsonNode n = JSON.readTree(plain);
            if (!holder.hex().equals(n.path("holder").asText())) {
                throw VaultException.integrity("the prune lease of " + holder.shortForm() + " names another holder");
            }
            Map<String, Long> c = new TreeMap<>();
            n.path("candidates").properties().forEach(e -> c.put(e.getKey(), e.getValue().asLong()));
            return new Lease(holder, n.path("start").asLong(), n.path("expires").asLong(), c);
        } catch (IOException e) {
            throw VaultException.integrity("the prune lease of " + holder.shortForm() + " is malformed", e);
        }
    }

    /** Writes {@code ack.<me>.<pruner>}: "an operation of computer me started at {@code time}". */
    public static void ack(Repository repo, ComputerId me, ComputerId pruner, long time) {
        BlobName name = ObjectNames.ack(me, pruner);
        repo.put(name, Seal.seal(repo.keys().chainKey(), context(repo, name), Long.toString(time).getBytes(StandardCharsets.US_ASCII)));
    }

    /** The time of computer {@code c}'s acknowledgement of {@code pruner}, or -1. */
    public static long ackTime(Repository repo, ComputerId c, ComputerId pruner) {
        BlobName name = ObjectNames.ack(c, pruner);
        try {
            if (!repo.store().exists(name)) {
                return -1;
            }
        } catch (org.ciphersync.vault.store.StoreException e) {
            throw new VaultException(VaultException.Kind.STORAGE, "cannot read " + name + ": " + e.getMessage(), e);
        }
        byte[] plain = Seal.open(repo.keys().chainKey(), context(repo, name), repo.load(name, 1024), "acknowledgement " + name.name());
        try {
            return Long.parseLong(new String(plain, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw VaultException.integrity("acknowledgement " + name.name() + " is malformed");
        }
    }

    private static AeadContext context(Repository repo, BlobName name) {
        return AeadContext.vault(repo.vaultId(), "", "lease", name.name().getBytes(StandardCharsets.US_ASCII), 0);
    }
}
