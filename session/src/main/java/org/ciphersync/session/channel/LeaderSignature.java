package org.ciphersync.session.channel;

import java.nio.charset.StandardCharsets;
import org.ciphersync.crypto.identity.Identity;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.wire.WireWriter;

/**
 * Signatures of leader orders (S2): Ed25519 of the leader over
 * {@code "ciphersync/v1/session/order" ‖ session u64 ‖ epoch u64 ‖ sender u32 ‖ sequence u64 ‖ kind u8 ‖ u32 len ‖ body}.
 * Epoch, sender and sequence are those of the group frame that carries the order, so a signed order
 * cannot be replayed in another frame, session or epoch, nor attributed to another sender. The group
 * key proves membership; the signature proves that the leader itself, not any member, gave the order.
 */
public final class LeaderSignature {
    private static final byte[] DOMAIN = "ciphersync/v1/session/order".getBytes(StandardCharsets.US_ASCII);

    private LeaderSignature() {
    }

    public static byte[] sign(Identity leader, SessionId session, long epoch, int sender, long seq,
                              Message.LeaderCommand.Kind kind, byte[] body) {
        return leader.sign(message(session, epoch, sender, seq, kind, body));
    }

    public static boolean verify(IdentityPublicKeys leader, byte[] signature, SessionId session, long epoch, int sender,
                                 long seq, Message.LeaderCommand.Kind kind, byte[] body) {
        return leader.verify(message(session, epoch, sender, seq, kind, body), signature);
    }

    private static byte[] message(SessionId session, long epoch, int sender, long seq, Message.LeaderCommand.Kind kind, byte[] body) {
        return new WireWriter().raw(DOMAIN).u64(session.value()).u64(epoch).u32(sender).u64(seq).u8(kind.code())
                .u32(body.length).raw(body).toByteArray();
    }
}
