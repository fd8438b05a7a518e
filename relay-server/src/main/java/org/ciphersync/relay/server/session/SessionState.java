package org.ciphersync.relay.server.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ciphersync.relay.protocol.message.MemberView;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.session.SessionId;

/**
 * The state of one session as a value: members in join order, the next id to hand out and the
 * membership epoch. Every change returns a new value, so the rules (lettering, leadership, capacity)
 * are pure functions, tested as tables, and a {@link SessionStore} only has to swap values atomically.
 *
 * <p>Invariants: at most {@value #MAX_MEMBERS} members, ordered by join time, with distinct ids all
 * below {@code nextId}; letters are positions ('A' + index), so they have no gaps and the first
 * member (A) leads; {@code epoch} grows by one on every join and removal.
 */
public record SessionState(SessionId id, Instant createdAt, List<MemberRecord> members, int nextId, long epoch) {

    /** Most members a session can have (S1). */
    public static final int MAX_MEMBERS = 5;

    public SessionState {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(createdAt, "createdAt == null");
        members = List.copyOf(members);
        if (members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("member count " + members.size() + " exceeds " + MAX_MEMBERS);
        }
        for (MemberRecord m : members) {
            if (m.memberId() >= nextId) {
                throw new IllegalArgumentException("member id " + m.memberId() + " is not below next id " + nextId);
            }
        }
        if (members.stream().map(MemberRecord::memberId).distinct().count() != members.size()) {
            throw new IllegalArgumentException("member ids are not distinct: " + members.stream().map(MemberRecord::memberId).toList());
        }
    }

    /** A new session with no member yet. */
    public static SessionState create(SessionId id, Instant now) {
        return new SessionState(id, now, List.of(), 1, 0);
    }

    /** The state after handing out one id (for a candidate that may become a member with that id). */
    public SessionState allocateId() {
        return new SessionState(id, createdAt, members, Math.addExact(nextId, 1), epoch);
    }

    /**
     * Adds a member with id {@code memberId} (previously allocated) at the end of the join order.
     *
     * @throws IllegalStateException if the session is full or the id is taken
     */
    public SessionState withMember(MemberRecord member) {
        if (full()) {
            throw new IllegalStateException("session " + id + " already has " + MAX_MEMBERS + " members");
        }
        if (member(member.memberId()).isPresent()) {
            throw new IllegalStateException("member id " + member.memberId() + " is already in session " + id);
        }
        List<MemberRecord> next = new ArrayList<>(members);
        next.add(member);
        return new SessionState(id, createdAt, next, Math.max(nextId, member.memberId() + 1), epoch + 1);
    }

    /** Removes a member; later members move up one letter. Unchanged if absent. */
    public SessionState without(int memberId) {
        List<MemberRecord> next = new ArrayList<>(members);
        if (!next.removeIf(m -> m.memberId() == memberId)) {
            return this;
        }
        return new SessionState(id, createdAt, next, nextId, epoch + 1);
    }

    /** Replaces the record of a member (same id). */
    public SessionState replace(MemberRecord updated) {
        List<MemberRecord> next = new ArrayList<>(members);
        int i = indexOf(updated.memberId());
        if (i < 0) {
            throw new IllegalStateException("member " + updated.memberId() + " is not in session " + id);
        }
        next.set(i, updated);
        return new SessionState(id, createdAt, next, nextId, epoch);
    }

    public SessionState withStatus(int memberId, String status) {
        return replace(require(memberId).withStatus(status));
    }

    public SessionState offline(int memberId, Instant since) {
        return replace(require(memberId).offline(since));
    }

    public SessionState online(int memberId, String ip, byte[] newTokenHash) {
        return replace(require(memberId).online(ip, newTokenHash));
    }

    public boolean full() {
        return members.size() >= MAX_MEMBERS;
    }

    public boolean empty() {
        return members.isEmpty();
    }

    public Optional<MemberRecord> member(int memberId) {
        return members.stream().filter(m -> m.memberId() == memberId).findFirst();
    }

    private MemberRecord require(int memberId) {
        return member(memberId).orElseThrow(() -> new IllegalStateException("member " + memberId + " is not in session " + id));
    }

    private int indexOf(int memberId) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).memberId() == memberId) {
                return i;
            }
        }
        return -1;
    }

    /** The letter of a member: 'A' + its position in join order. */
    public Optional<Character> letterOf(int memberId) {
        int i = indexOf(memberId);
        return i < 0 ? Optional.empty() : Optional.of((char) ('A' + i));
    }

    /** Whether {@code memberId} is member A, the leader. */
    public boolean isLeader(int memberId) {
        return !members.isEmpty() && members.get(0).memberId() == memberId;
    }

    /**
     * The member that authenticates a new candidate: the leader if online, else the first online member.
     */
    public Optional<MemberRecord> sponsor() {
        return members.stream().filter(MemberRecord::online).findFirst();
    }

    /** The member list every member is shown. */
    public Message.MemberList view() {
        List<MemberView> views = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            MemberRecord m = members.get(i);
            views.add(new MemberView(m.memberId(), (char) ('A' + i), m.profile(), m.publicIp(), m.status(), m.online()));
        }
        return new Message.MemberList(epoch, views);
    }
}
