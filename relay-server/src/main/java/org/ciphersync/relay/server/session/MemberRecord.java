package org.ciphersync.relay.server.session;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.ciphersync.relay.protocol.message.MemberProfile;

/**
 * All the relay keeps about one member: its profile (machine name, e-mail label, identity public key),
 * its public IP as seen by the relay, its status label, whether it is online, and the SHA-256 of its
 * resume token (never the token itself). No password, key material or path is ever here.
 *
 * @param offlineSince when the connection dropped, or {@code null} while online
 */
public record MemberRecord(int memberId, MemberProfile profile, String publicIp, String status, Instant joinedAt,
        Instant offlineSince, byte[] resumeTokenHash) {

    public MemberRecord {
        if (memberId <= 0) {
            throw new IllegalArgumentException("member id " + memberId + " is not positive");
        }
        Objects.requireNonNull(profile, "profile == null");
        Objects.requireNonNull(publicIp, "publicIp == null");
        Objects.requireNonNull(status, "status == null");
        Objects.requireNonNull(joinedAt, "joinedAt == null");
        resumeTokenHash = Objects.requireNonNull(resumeTokenHash, "resumeTokenHash == null").clone();
    }

    public boolean online() {
        return offlineSince == null;
    }

    @Override
    public byte[] resumeTokenHash() {
        return resumeTokenHash.clone();
    }

    MemberRecord withStatus(String s) {
        return new MemberRecord(memberId, profile, publicIp, s, joinedAt, offlineSince, resumeTokenHash);
    }

    MemberRecord offline(Instant since) {
        return new MemberRecord(memberId, profile, publicIp, status, joinedAt, since, resumeTokenHash);
    }

    MemberRecord online(String ip, byte[] newTokenHash) {
        return new MemberRecord(memberId, profile, ip, status, joinedAt, null, newTokenHash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberRecord m && memberId == m.memberId && profile.equals(m.profile) && publicIp.equals(m.publicIp)
                && status.equals(m.status) && joinedAt.equals(m.joinedAt) && Objects.equals(offlineSince, m.offlineSince)
                && Arrays.equals(resumeTokenHash, m.resumeTokenHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(memberId, profile, publicIp, status, joinedAt, offlineSince);
    }

    @Override
    public String toString() {
        return "MemberRecord[" + memberId + ", " + profile + ", ip=" + publicIp + ", status=" + status
                + (online() ? ", online" : ", offline since " + offlineSince) + "]";
    }
}
