package org.ciphersync.session.inventory;

import java.util.List;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.wire.WireException;
import org.ciphersync.session.wire.WireWriter;

/**
 * Seals a member's inventories for the relay: {@code Envelope(parent = group key of the epoch,
 * AAD = session / "inventory" / run id ‖ member id / epoch, InventoryCodec bytes)}. The envelope's
 * random salt gives it its own AES key; the run and member in the AAD stop the relay from serving one
 * member's (or one run's) inventory as another's.
 */
public final class InventorySeal {
    private InventorySeal() {
    }

    public static byte[] seal(SessionId session, SecretBytes groupKey, long epoch, long runId, int memberId, List<SharedNode> nodes) {
        return new Envelope(groupKey).seal(context(session, epoch, runId, memberId), InventoryCodec.encode(nodes));
    }

    /**
     * @throws WireException if the envelope does not open (modified, other run/member/epoch) or the content is malformed
     */
    public static List<SharedNode> open(SessionId session, SecretBytes groupKey, long epoch, long runId, int memberId, byte[] sealed)
            throws WireException {
        byte[] plain;
        try {
            plain = new Envelope(groupKey).open(context(session, epoch, runId, memberId), sealed);
        } catch (CryptoException e) {
            throw new WireException("the inventory of member " + memberId + " does not authenticate: " + e.getMessage());
        }
        return InventoryCodec.decode(plain);
    }

    private static AeadContext context(SessionId session, long epoch, long runId, int memberId) {
        return AeadContext.session(session.toString(), "inventory", new WireWriter().u64(runId).u32(memberId).toByteArray(), epoch);
    }
}
