package org.ciphersync.relay.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import io.javalin.http.Context;
import org.ciphersync.relay.protocol.frame.FrameLimits;
import org.ciphersync.relay.protocol.session.SessionId;
import org.ciphersync.relay.server.hub.Hub;
import org.ciphersync.relay.server.metrics.RelayMetrics;
import org.ciphersync.relay.server.part.PartException;
import org.ciphersync.relay.server.part.PartStore;
import org.ciphersync.relay.server.session.SessionState;

/**
 * HTTP access to file parts: {@code PUT /sessions/{session}/parts/{part}?to=2,3} uploads a part once
 * (the body length MUST be declared with Content-Length), {@code GET} of the same path downloads it as one
 * of its recipients. Both need {@code Authorization: Bearer <transfer token>} from the member's
 * {@code WELCOME}; the token is never logged. HTTP streams give backpressure for free: the relay reads an
 * upload only as fast as it writes it to disk.
 */
public final class PartsEndpoint {

    /** Route of a part. */
    public static final String PATH = "/sessions/{session}/parts/{part}";

    private final Hub hub;
    private final PartStore parts;
    private final RelayMetrics metrics;

    public PartsEndpoint(Hub hub, PartStore parts) {
        this.hub = hub;
        this.parts = parts;
        this.metrics = hub.metrics();
    }

    private Optional<Hub.TransferGrant> authorize(Context ctx) {
        String auth = ctx.header("Authorization");
        Optional<Hub.TransferGrant> grant = auth != null && auth.startsWith("Bearer ")
                ? hub.grant(auth.substring("Bearer ".length()).strip()) : Optional.empty();
        if (grant.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer");
            plain(ctx, 401, "a valid transfer token is required (Authorization: Bearer …, from the WELCOME of a live connection)");
            return Optional.empty();
        }
        SessionId sid;
        try {
            sid = SessionId.parse(ctx.pathParam("session"));
        } catch (IllegalArgumentException e) {
            plain(ctx, 400, e.getMessage());
            return Optional.empty();
        }
        if (!sid.equals(grant.get().session())) {
            plain(ctx, 403, "this transfer token belongs to another session");
            return Optional.empty();
        }
        return grant;
    }

    /** Handles an upload. */
    public void put(Context ctx) throws IOException {
        Optional<Hub.TransferGrant> maybe = authorize(ctx);
        if (maybe.isEmpty()) {
            return;
        }
        Hub.TransferGrant g = maybe.get();
        Optional<SessionState> st = hub.session(g.session());
        if (st.isEmpty()) {
            plain(ctx, 404, "the session has ended");
            return;
        }
        Set<Integer> recipients = new LinkedHashSet<>();
        String to = ctx.queryParam("to");
        if (to == null || to.isBlank() || to.length() > 128) {
            plain(ctx, 400, "name the recipients: ?to=<member id>,<member id>…");
            return;
        }
        for (String s : to.split(",", -1)) {
            int r;
            try {
                r = Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                plain(ctx, 400, "recipient '" + s.strip() + "' is not a member id");
                return;
            }
            if (r == g.memberId() || st.get().member(r).isEmpty()) {
                plain(ctx, 400, "recipient " + r + " is not another member of this session");
                return;
            }
            recipients.add(r);
        }
        if (recipients.size() > FrameLimits.MAX_RECIPIENTS) {
            plain(ctx, 400, "at most " + FrameLimits.MAX_RECIPIENTS + " recipients");
            return;
        }
        long length = ctx.req().getContentLengthLong();
        // A client that asked "Expect: 100-continue" sends the body only once the store opens it, so a
        // refusal reaches it before any byte; one that did not may be sending already (see below).
        boolean waitsForContinue = "100-continue".equalsIgnoreCase(String.valueOf(ctx.header("Expect")).strip());
        try {
            parts.put(g.session(), ctx.pathParam("part"), g.memberId(), recipients, length, () -> ctx.req().getInputStream());
        } catch (PartException e) {
            if (!waitsForContinue && (e.reason() == PartException.Reason.EXISTS || e.reason() == PartException.Reason.QUOTA_EXCEEDED)) {
                // The declared length already passed the part-size limit: read the body so the
                // client, which may still be sending, gets this answer instead of a reset.
                try (InputStream in = ctx.req().getInputStream()) {
                    drain(in, length);
                }
            }
            plain(ctx, e.reason().httpStatus(), e.getMessage());
            return;
        }
        metrics.partsUploaded.increment();
        metrics.partBytesUploaded.add(length);
        plain(ctx, 201, "stored");
    }

    /** Handles a download; the part is marked fetched only once every byte was written. */
    public void get(Context ctx) throws IOException {
        Optional<Hub.TransferGrant> maybe = authorize(ctx);
        if (maybe.isEmpty()) {
            return;
        }
        Hub.TransferGrant g = maybe.get();
        String partId = ctx.pathParam("part");
        PartStore.OpenPart part;
        try {
            part = parts.open(g.session(), partId, g.memberId());
        } catch (PartException e) {
            plain(ctx, e.reason().httpStatus(), e.getMessage());
            return;
        }
        ctx.status(200);
        ctx.res().setContentType("application/octet-stream");
        ctx.res().setContentLengthLong(part.length());
        try (InputStream in = part.content()) {
            OutputStream out = ctx.res().getOutputStream();
            long copied = copy(in, out);
            out.flush();
            if (copied != part.length()) {
                throw new IOException("part changed during download");
            }
        }
        parts.fetched(g.session(), partId, g.memberId());
        metrics.partsDownloaded.increment();
        metrics.partBytesDownloaded.add(part.length());
    }

    /**
     * Bytes per write of a download: a part (up to 64 MiB) goes out in a few hundred writes, not thousands of
     * 16 KiB ones (each a round through the server's output path); bounded memory per transfer.
     */
    static final int COPY_BUFFER = 256 << 10;

    private static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[COPY_BUFFER];
        long copied = 0;
        int n;
        while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
            copied += n;
        }
        return copied;
    }

    /** Reads and discards at most {@code length} bytes of a refused upload's body. */
    private static void drain(InputStream in, long length) {
        byte[] buf = new byte[64 << 10];
        long left = length;
        try {
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException gone) {
            // the client went away: nothing to answer
        }
    }

    private static void plain(Context ctx, int status, String text) {
        ctx.status(status).contentType("text/plain; charset=utf-8").result(text + "\n");
    }
}
