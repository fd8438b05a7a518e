package org.ciphersync.session.inventory;

import com.github.luben.zstd.Zstd;
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
        byte[] z = new byte[5 + (int) Zstd.compressBound(plain.length)];
        long got = Zstd.compressByteArray(z, 5, z.length - 5, plain, 0, plain.length, LEVEL);
        byte[] body;
        if (!Zstd.isError(got) && got + 5 < plain.length + 1) {
            z[0] = ZSTD;
            z[1] = (byte) (plain.length >>> 24);
            z[2] = (byte) (plain.length >>> 16);
            z[3] = (byte) (plain.length >>> 8);
            z[4] = (byte) plain.length;
            body = java.util.Arrays.copyOf(z, 5 + (int) got);
        } else {
            body = new byte[1 + plain.length];
            body[0] = RAW;
            System.arraycopy(plain, 0, body, 1, plain.length);
        }
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
        if (body.length < 1) {
            throw new WireException("the inventory of member " + memberId + " is empty");
        }
        if (body[0] == RAW) {
            return java.util.Arrays.copyOfRange(body, 1, body.length);
        }
        if (body[0] != ZSTD || body.length < 5) {
            throw new WireException("the inventory of member " + memberId + " uses unknown compression " + body[0]);
        }
        long n = ((body[1] & 0xffL) << 24) | ((body[2] & 0xff) << 16) | ((body[3] & 0xff) << 8) | (body[4] & 0xff);
        if (n > MAX_PLAIN) {
            throw new WireException("the inventory of member " + memberId + " claims " + n + " bytes, more than " + MAX_PLAIN);
        }
        byte[] out = new byte[(int) n];
        long got;
        try {
            got = Zstd.decompressByteArray(out, 0, out.length, body, 5, body.length - 5);
        } catch (RuntimeException e) { // zstd-jni reports a malformed or oversized frame by throwing
            got = -1;
        }
        if (got < 0 || Zstd.isError(got) || got != n) {
            throw new WireException("the inventory of member " + memberId + " does not decompress to its " + n + " bytes");
        }
        return out;
    }

    private static AeadContext context(SessionId session, long epoch, long runId, int memberId) {
        return AeadContext.session(session.toString(), "inventory", new WireWriter().u64(runId).u32(memberId).toByteArray(), epoch);
    }
}
