package org.ciphersync.session.client;

import java.util.List;
import java.util.Optional;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.member.MemberInfo;

/**
 * A consistent snapshot of the session as this member sees it (S5–S7): members in join order with
 * their letters, the settings, the run state and the current group key epoch.
 *
 * @param sessionId the session
 * @param selfId    this member's id
 * @param keyEpoch  epoch of the group key this member sends under
 * @param members   member blocks in join order (letters A..E)
 * @param settings  the Session Settings last set by the leader
 * @param run       the run state
 * @param restarts  how many times the leader restarted the session
 */
public record SessionView(SessionId sessionId, int selfId, long keyEpoch, List<MemberInfo> members, SyncSettings settings,
                          RunState run, int restarts) {
    public SessionView {
        members = List.copyOf(members);
    }

    /** Letters and machine names, e.g. {@code "A:alpha B:bravo"}: handy for logs and tests. */
    public String lettersAndNames() {
        StringBuilder sb = new StringBuilder();
        for (MemberInfo m : members) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(m.letter()).append(':').append(m.machineName());
        }
        return sb.toString();
    }

    /** This member's block, if the relay listed it yet. */
    public Optional<MemberInfo> self() {
        return members.stream().filter(MemberInfo::thisComputer).findFirst();
    }

    /** The member with {@code letter}. */
    public Optional<MemberInfo> member(char letter) {
        return members.stream().filter(m -> m.letter() == letter).findFirst();
    }

    /** Whether this member leads (letter A). */
    public boolean selfIsLeader() {
        return self().map(MemberInfo::leader).orElse(false);
    }
}
