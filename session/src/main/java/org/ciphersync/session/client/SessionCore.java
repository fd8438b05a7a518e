package org.ciphersync.session.client;

import java.util.List;
import java.util.Map;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.relay.protocol.message.MemberView;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.channel.GroupChannel;
import org.ciphersync.session.link.RelayLink;
import org.ciphersync.session.member.SourceEntry;
import org.ciphersync.session.wire.GroupMessage;

/**
 * What the run classes ({@link InventoryExchange}, {@link SyncCoordinator}) use of their session client:
 * the membership as this member sees it, the group channel, and the client's lock and worker. Methods
 * that read or change state are called with {@link #lock()} held, like the client's own code; the maps
 * returned are the client's live maps.
 */
interface SessionCore {
    /** The client's lock: every state change happens under it. */
    Object lock();

    int self();

    SessionId sessionId();

    SessionOptions options();

    /** This member's authenticated identity keys. */
    IdentityPublicKeys identityKeys();

    /** The current relay connection (it changes after a resume). */
    RelayLink link();

    GroupChannel channel();

    /** Whether this member is still in the session. */
    boolean active();

    /** The relay's member list, in join order. */
    List<MemberView> relayMembers();

    /** Authenticated identity keys by member id. */
    Map<Integer, IdentityPublicKeys> roster();

    /** Each member's sources as it announced them. */
    Map<Integer, List<SourceEntry>> sources();

    SyncSettings settings();

    /** The leading member (0 if none is known). */
    int leaderId();

    /** A member's letter now, or '?'. */
    char letterOf(int memberId);

    RunState run();

    void run(RunState state);

    /** Seals {@code m} in the group channel and sends it to every other member. */
    void broadcast(GroupMessage m) throws SessionException;

    void alert(String message);

    void emit(SessionEvent event);

    /** Sets this member's status label; cosmetic, failures ignored. Called without the lock. */
    void setStatusQuietly(String status);

    /** Runs {@code task} on the client's worker thread (long work: scans, downloads, the transfer). */
    void submit(Runnable task);
}
