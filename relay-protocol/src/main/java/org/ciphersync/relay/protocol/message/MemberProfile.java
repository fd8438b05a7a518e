package org.ciphersync.relay.protocol.message;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a member tells the relay about itself, shown to the other members (S6): its machine name,
 * the e-mail label of its profile, and its identity public key (the session client signs leader
 * commands and binds the PAKE with it). Nothing here is secret; no password or private key ever goes
 * into a profile.
 *
 * @param machineName 1..64 printable characters
 * @param emailLabel  0..254 printable characters (empty if the profile has none)
 * @param identityKey the encoded public key, 0..{@value #MAX_IDENTITY_KEY} bytes
 */
public record MemberProfile(String machineName, String emailLabel, byte[] identityKey) {

    public static final int MAX_MACHINE_NAME = 64;
    public static final int MAX_EMAIL = 254;
    public static final int MAX_IDENTITY_KEY = 256;

    public MemberProfile {
        Texts.check("machine name", machineName, MAX_MACHINE_NAME);
        if (machineName.isBlank()) {
            throw new IllegalArgumentException("machine name is blank");
        }
        Texts.check("e-mail label", emailLabel, MAX_EMAIL);
        Objects.requireNonNull(identityKey, "identityKey == null");
        if (identityKey.length > MAX_IDENTITY_KEY) {
            throw new IllegalArgumentException("identity key of " + identityKey.length + " bytes exceeds " + MAX_IDENTITY_KEY);
        }
        identityKey = identityKey.clone();
    }

    @Override
    public byte[] identityKey() {
        return identityKey.clone();
    }

    void write(BodyWriter w) {
        w.text(machineName).text(emailLabel).bytes(identityKey);
    }

    static MemberProfile read(BodyReader r) throws org.ciphersync.relay.protocol.frame.FrameException {
        String machine = r.text("machine name", MAX_MACHINE_NAME);
        String email = r.text("e-mail label", MAX_EMAIL);
        byte[] key = r.bytes("identity key", MAX_IDENTITY_KEY);
        if (machine.isBlank()) {
            throw new org.ciphersync.relay.protocol.frame.FrameException("machine name is blank");
        }
        return new MemberProfile(machine, email, key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberProfile p && machineName.equals(p.machineName) && emailLabel.equals(p.emailLabel)
                && Arrays.equals(identityKey, p.identityKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(machineName, emailLabel) * 31 + Arrays.hashCode(identityKey);
    }

    @Override
    public String toString() {
        return "MemberProfile[" + machineName + ", " + emailLabel + ", key=" + HexFormat.of().formatHex(identityKey, 0, Math.min(8, identityKey.length)) + "…]";
    }
}
