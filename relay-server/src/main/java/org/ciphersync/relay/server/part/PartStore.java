package org.ciphersync.relay.server.part;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.ciphersync.relay.protocol.session.SessionId;

/**
 * Opaque file parts waiting for their recipients: uploaded once by a member, downloaded once by each
 * recipient, deleted when the last recipient has it (or when the session ends). Parts are ciphertext
 * produced by the session client; the store never interprets them.
 *
 * <p>Part ids are chosen by the uploader, 1..64 characters of {@code [A-Za-z0-9_-]}, unique per session.
 * Every method is thread-safe.
 */
public interface PartStore {

    /** A part opened for download. The caller MUST close the stream. */
    record OpenPart(long length, InputStream content) {
    }

    /**
     * The body of an upload, opened only once the part is accepted: an HTTP server sends
     * {@code 100 Continue} when the body is first asked for, so a part refused on its declared length,
     * its id or the session quota is answered before the client sends a byte of it.
     */
    @FunctionalInterface
    interface Content {
        InputStream open() throws IOException;
    }

    /**
     * Stores a part of exactly {@code length} bytes read from {@code content}, which is opened only after
     * every check that needs no byte of it passed (and the quota is reserved).
     *
     * @throws PartException INVALID (bad id, no recipients, content shorter or longer than {@code length}),
     *                       EXISTS, TOO_LARGE (over the per-part limit), QUOTA_EXCEEDED (session quota)
     */
    void put(SessionId session, String partId, int uploader, Set<Integer> recipients, long length, Content content)
            throws PartException, IOException;

    /**
     * Opens a complete part for {@code recipient}.
     *
     * @throws PartException NOT_FOUND if there is no such complete part or {@code recipient} is not (or no longer) one of its recipients
     */
    OpenPart open(SessionId session, String partId, int recipient) throws PartException, IOException;

    /** Records that {@code recipient} has the whole part; deletes the part when no recipient is left. */
    void fetched(SessionId session, String partId, int recipient);

    /** Removes {@code memberId} from the recipients of every part of the session (it left). */
    void forgetRecipient(SessionId session, int memberId);

    /** Deletes every part of the session (it ended or restarted). Idempotent. */
    void deleteSession(SessionId session);

    /** Bytes stored or reserved for the session. */
    long usedBytes(SessionId session);

    /** Bytes stored or reserved in total. */
    long totalBytes();

    /** Number of parts stored. */
    int partCount();
}
