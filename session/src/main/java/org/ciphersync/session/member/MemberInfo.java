package org.ciphersync.session.member;

import java.util.List;
import java.util.Objects;

/**
 * One member block (S6) as this client shows it: what the relay reports (letter, machine name,
 * public IP, status, online) merged with what the group channel authenticated (identity
 * fingerprint, data sources).
 *
 * @param memberId      stable id in the session
 * @param letter        'A'..'E' in join order; A leads
 * @param machineName   machine name from the member's profile
 * @param emailLabel    e-mail label of the member's profile ("" if none)
 * @param publicIp      address as the relay sees it
 * @param status        status label ("" until set)
 * @param online        false while the member's connection is lost within the grace period
 * @param thisComputer  true on one's own block ("This computer")
 * @param fingerprint   identity fingerprint authenticated through the PAKE chain, or null while
 *                      the member is not authenticated to this client yet
 * @param sources       the member's data sources, in the order it added them
 */
public record MemberInfo(int memberId, char letter, String machineName, String emailLabel, String publicIp, String status,
                         boolean online, boolean thisComputer, String fingerprint, List<SourceEntry> sources) {
    public MemberInfo {
        Objects.requireNonNull(machineName, "machineName == null");
        sources = List.copyOf(sources);
    }

    /** Whether this member leads the session. */
    public boolean leader() {
        return letter == 'A';
    }

    /** Whether this client has authenticated the member's identity key. */
    public boolean authenticated() {
        return fingerprint != null;
    }

    /** The description line of the block: "This computer · name (ip)" on one's own. */
    public String description() {
        return (thisComputer ? "This computer · " : "") + machineName + " (" + publicIp + ")";
    }
}
