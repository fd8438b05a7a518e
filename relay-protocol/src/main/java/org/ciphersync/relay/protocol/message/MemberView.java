package org.ciphersync.relay.protocol.message;

import java.util.Objects;

/**
 * One member as the relay shows it to everyone (a member block of S6).
 *
 * @param memberId stable id within the session (never reused); frames address members by it
 * @param letter   'A'..'E' by join order among the current members; reassigned when one leaves
 * @param profile  what the member said about itself
 * @param publicIp the member's address as the relay sees it
 * @param status   the member's last {@link Message.SetStatus} label ("" until set)
 * @param online   false while the member's connection is lost and its place kept for the grace period
 */
public record MemberView(int memberId, char letter, MemberProfile profile, String publicIp, String status, boolean online) {

    public MemberView {
        if (memberId <= 0) {
            throw new IllegalArgumentException("member id " + memberId + " is not positive");
        }
        if (letter < 'A' || letter > 'Z') {
            throw new IllegalArgumentException("letter '" + letter + "' is not A..Z");
        }
        Objects.requireNonNull(profile, "profile == null");
        Texts.check("public IP", publicIp, 64);
        Texts.check("status", status, Message.SetStatus.MAX_CHARS);
    }

    /** Whether this member leads the session (letter A). */
    public boolean leader() {
        return letter == 'A';
    }
}
