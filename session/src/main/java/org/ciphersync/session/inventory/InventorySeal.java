package org.ciphersync.session.inventory;

import java.util.List;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.wire.Compression;
import org.ciphersync.session.wire.WireException;
import org.ciphersync.session.wire.WireReader;
import org.ciphersync.session.wire.WireWriter;

/**
 * Seals a member's inventories for the relay: {@code Envelope(parent = group key of the epoch,
 * AAD = session / "inventory" / run id ‖ member id / epoch, u8 0 ‖ InventoryCodec bytes, or
 * u8 1 ‖ u32 length ‖ zstd(InventoryCodec bytes))}. The envelope's random salt gives it its own AES key;
 * the run and member in the AAD stop the relay from serving one member's (or one run's) inventory as
 * another's. Compressed because an inventory is mostly paths that share their folders (20,000 entries:
 * about 0.9 MB raw, a third of what a session sent after a small edit); a compressed inventory must
 * expand to exactly its declared length, at most {@link #MAX_PLAIN} bytes, so a hostile member cannot
 * make the others allocate more than that.
 */
public final class InventorySeal {
    /** The largest inventory encoding accepted (2,000,000 entries of about 100 bytes). */
    public static final int MAX_PLAIN = 256 << 20;
    private static final int RAW = 0;
    private static final int ZSTD = 1;
    private static final int LEVEL = 3;

    private InventorySeal() {
    }

    public static byte[] seal(SessionId session, SecretBytes groupKey, long epoch, long runId, int memberId, List<SharedNode> nodes) {
        byte[] plain = InventoryCodec.encode(nodes);
        byte[] z = Compression.compress(plain, LEVEL);
        byte[] body = z == null ? new WireWriter().u8(RAW).raw(plain).toByteArray()
                : new WireWriter().u8(ZSTD).u32(plain.length).raw(z).toByteArray();
        return sealBody(session, groupKey, epoch, runId, memberId, body);
    }

    /** Seals an already framed body (mode byte first); tests use it to build hostile inventories. */
    static byte[] sealBody(SessionId session, SecretBytes groupKey, long epoch, long runId, int memberId, byte[] body) {
        return new Envelope(groupKey).seal(context(session, epoch, runId, memberId), body);
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
        return InventoryCodec.decode(expand(plain, memberId));
    }

    private static byte[] expand(byte[] body, int memberId) throws WireException {
        WireReader r = new WireReader(body);
        int mode = r.u8("inventory compression");
        String what = "the inventory of member " + memberId;
        return switch (mode) {
            case RAW -> r.raw("inventory", r.remaining());
            case ZSTD -> {
                long n = r.u32("inventory length");
                yield Compression.expandExactly(body, r.position(), r.remaining(), n, MAX_PLAIN, what);
            }
            default -> throw new WireException(what + " uses unknown compression " + mode);
        };
    }

    private static AeadContext context(SessionId session, long epoch, long runId, int memberId) {
        return AeadContext.session(session.toString(), "inventory", new WireWriter().u64(runId).u32(memberId).toByteArray(), epoch);
    }
}
