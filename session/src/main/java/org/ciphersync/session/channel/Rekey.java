package org.ciphersync.session.channel;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.identity.Identity;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.crypto.kdf.Hkdf;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.wire.WireException;
import org.ciphersync.session.wire.WireReader;
import org.ciphersync.session.wire.WireWriter;

/**
 * Group key rotation: the leader makes a fresh random group key for the next epoch and wraps it for
 * every other current member under a pairwise key, then signs the whole message. A member that has
 * left is not among the recipients, so it cannot read anything sent under the new epoch.
 *
 * <pre>
 * off len field                                    (carried as a DATA payload to all members)
 * 0   1   kind 0x52 'R'
 * 1   8   new epoch (u64)
 * 9   4   issuer member id (u32)
 * 13  1   n (1..5)
 * 14  ..  n × (u32 member id ‖ u16 len ‖ Envelope(wrap key, AAD = session/"group-key"/issuer‖member/epoch, group key))
 * end-64  Ed25519 signature of the issuer over "ciphersync/v1/session/rekey" ‖ session id u64 ‖ all bytes before it
 *
 * wrap key = HKDF-SHA-256(salt = "ciphersync/v1/session/rekey-wrap" ‖ session u64,
 *                         IKM  = X25519(issuer, member),
 *                         info = "ciphersync/v1/session/rekey-wrap" ‖ issuer u32 ‖ member u32 ‖ epoch u64)
 * </pre>
 *
 * The X25519 keys are the identity keys every member authenticated through the PAKE chain, never
 * the relay's copy; the wrap envelope's random salt gives each wrap its own AES key.
 */
public final class Rekey {
    public static final byte KIND_REKEY = 'R';
    private static final byte[] WRAP_DOMAIN = "ciphersync/v1/session/rekey-wrap".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIGN_DOMAIN = "ciphersync/v1/session/rekey".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_WRAPS = 8;

    /** A parsed rotation message; not yet verified. */
    public record Parsed(long epoch, int issuer, Map<Integer, byte[]> wraps, byte[] signedPart, byte[] signature) {
    }

    private Rekey() {
    }

    /** Builds the rotation message for {@code recipients} (member id → authenticated identity, issuer excluded). */
    public static byte[] build(SessionId session, long epoch, int issuerId, Identity issuer, SecretBytes groupKey,
                               Map<Integer, IdentityPublicKeys> recipients, SecureRandom random) throws InvalidKeyException {
        if (recipients.isEmpty() || recipients.size() > MAX_WRAPS) {
            throw new IllegalArgumentException("a rotation needs 1.." + MAX_WRAPS + " recipients, not " + recipients.size());
        }
        WireWriter w = new WireWriter().u8(KIND_REKEY).u64(epoch).u32(issuerId).u8(recipients.size());
        for (Map.Entry<Integer, IdentityPublicKeys> e : recipients.entrySet()) {
            try (SecretBytes wk = wrapKey(session, epoch, issuerId, e.getKey(), issuer, e.getValue())) {
                byte[] env = new Envelope(wk, random).seal(context(session, epoch, issuerId, e.getKey()), groupKey.expose());
                w.u32(e.getKey()).bytes(env);
            }
        }
        byte[] signed = w.toByteArray();
        byte[] sig = issuer.sign(signedMessage(session, signed));
        return new WireWriter().raw(signed).raw(sig).toByteArray();
    }

    /** Parses a rotation message strictly. */
    public static Parsed parse(byte[] payload) throws WireException {
        if (payload.length < 14 + 64 || payload[0] != KIND_REKEY) {
            throw new WireException("rotation message of " + payload.length + " bytes is malformed");
        }
        int signedLen = payload.length - 64;
        WireReader r = new WireReader(payload, 1, signedLen - 1);
        long epoch = r.u64("rotation epoch");
        int issuer = r.id("rotation issuer");
        int n = r.u8("rotation recipient count");
        if (n == 0 || n > MAX_WRAPS) {
            throw new WireException("rotation recipient count " + n + " is not 1.." + MAX_WRAPS);
        }
        Map<Integer, byte[]> wraps = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int id = r.id("rotation recipient");
            byte[] env = r.bytes("wrapped key", 256);
            if (wraps.put(id, env) != null) {
                throw new WireException("rotation lists member " + id + " twice");
            }
        }
        r.end("rotation message");
        return new Parsed(epoch, issuer, wraps, Arrays.copyOf(payload, signedLen), Arrays.copyOfRange(payload, signedLen, payload.length));
    }

    /**
     * Verifies the issuer's signature and unwraps this member's copy of the new group key.
     *
     * @throws ChannelException if the signature is not the issuer's, this member is not a recipient,
     *                          or its wrapped key does not open
     */
    public static SecretBytes unwrap(SessionId session, Parsed p, IdentityPublicKeys issuerKeys, int selfId, Identity self)
            throws ChannelException {
        if (!issuerKeys.verify(signedMessage(session, p.signedPart()), p.signature())) {
            throw new ChannelException(ChannelException.Reason.BAD_SIGNATURE,
                    "a key rotation claiming to come from member " + p.issuer() + " carries an invalid signature");
        }
        byte[] env = p.wraps().get(selfId);
        if (env == null) {
            throw new ChannelException(ChannelException.Reason.AUTHENTICATION_FAILED,
                    "key rotation to epoch " + p.epoch() + " has no key for this member");
        }
        try (SecretBytes wk = wrapKey(session, p.epoch(), p.issuer(), selfId, self, issuerKeys)) {
            byte[] key = new Envelope(wk).open(context(session, p.epoch(), p.issuer(), selfId), env);
            if (key.length != 32) {
                throw new ChannelException(ChannelException.Reason.MALFORMED, "rotated group key is " + key.length + " bytes");
            }
            return SecretBytes.adopt(key);
        } catch (CryptoException | InvalidKeyException e) {
            throw new ChannelException(ChannelException.Reason.AUTHENTICATION_FAILED,
                    "the wrapped group key of epoch " + p.epoch() + " does not open: " + e.getMessage());
        }
    }

    private static byte[] signedMessage(SessionId session, byte[] signed) {
        return new WireWriter().raw(SIGN_DOMAIN).u64(session.value()).raw(signed).toByteArray();
    }

    private static AeadContext context(SessionId session, long epoch, int issuer, int member) {
        return AeadContext.session(session.toString(), "group-key", new WireWriter().u32(issuer).u32(member).toByteArray(), epoch);
    }

    private static SecretBytes wrapKey(SessionId session, long epoch, int issuerId, int memberId, Identity self,
                                       IdentityPublicKeys peer) throws InvalidKeyException {
        try (SecretBytes shared = self.agree(peer)) {
            byte[] salt = new WireWriter().raw(WRAP_DOMAIN).u64(session.value()).toByteArray();
            byte[] info = new WireWriter().raw(WRAP_DOMAIN).u32(issuerId).u32(memberId).u64(epoch).toByteArray();
            return SecretBytes.adopt(Hkdf.derive(salt, shared.expose(), info, 32));
        }
    }
}
