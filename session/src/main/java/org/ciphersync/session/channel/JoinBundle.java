package org.ciphersync.session.channel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.session.wire.SettingsCodec;
import org.ciphersync.session.wire.WireException;
import org.ciphersync.session.wire.WireReader;
import org.ciphersync.session.wire.WireWriter;

/**
 * What the sponsor hands a joiner over the PAKE-keyed join channel ({@code SecureChannel}, label
 * {@code "ciphersync/v1/session/join"}), right before admitting it:
 *
 * <pre>
 * u8 version = 1 ‖ u64 key epoch ‖ 32 B group key ‖ u32 joiner's member id
 * ‖ u8 n (1..6) ‖ n × (u32 member id ‖ identity public keys 65 B)       (roster, join order, joiner last)
 * ‖ settings (see SettingsCodec)
 * </pre>
 *
 * The roster is how the joiner learns the other members' identity keys: it trusts the sponsor, whom
 * it authenticated with the password, and never the relay's member list.
 */
public record JoinBundle(long epoch, SecretBytes groupKey, int memberId, Map<Integer, IdentityPublicKeys> roster,
                         SyncSettings settings) implements AutoCloseable {
    private static final int MAX_ROSTER = 6;

    public JoinBundle {
        Objects.requireNonNull(groupKey, "groupKey == null");
        roster = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roster));
        Objects.requireNonNull(settings, "settings == null");
    }

    public byte[] encode() {
        WireWriter w = new WireWriter().u8(1).u64(epoch).raw(groupKey.expose()).u32(memberId).u8(roster.size());
        roster.forEach((id, keys) -> w.u32(id).raw(keys.encode()));
        SettingsCodec.write(w, settings);
        return w.toByteArray();
    }

    public static JoinBundle decode(byte[] data) throws WireException {
        WireReader r = new WireReader(data);
        int v = r.u8("bundle version");
        if (v != 1) {
            throw new WireException("join bundle version " + v + " is unknown");
        }
        long epoch = r.u64("key epoch");
        SecretBytes key = SecretBytes.adopt(r.raw("group key", 32));
        int me = r.id("member id");
        int n = r.u8("roster size");
        if (n == 0 || n > MAX_ROSTER) {
            throw new WireException("roster size " + n + " is not 1.." + MAX_ROSTER);
        }
        Map<Integer, IdentityPublicKeys> roster = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int id = r.id("roster member id");
            try {
                if (roster.put(id, IdentityPublicKeys.decode(r.raw("roster identity", IdentityPublicKeys.ENCODED_LENGTH), 0)) != null) {
                    throw new WireException("roster lists member " + id + " twice");
                }
            } catch (MalformedCiphertextException e) {
                throw new WireException("roster identity of member " + id + " is invalid: " + e.getMessage());
            }
        }
        if (!roster.containsKey(me)) {
            throw new WireException("roster does not list the joiner " + me);
        }
        SyncSettings settings = SettingsCodec.read(r);
        r.end("join bundle");
        return new JoinBundle(epoch, key, me, roster, settings);
    }

    @Override
    public void close() {
        groupKey.close();
    }

    @Override
    public String toString() {
        return "JoinBundle[epoch=" + epoch + ", member=" + memberId + ", roster=" + roster.keySet() + ", key redacted]";
    }
}
