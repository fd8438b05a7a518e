package org.ciphersync.relay.protocol.client;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.ciphersync.relay.protocol.frame.Frame;
import org.ciphersync.relay.protocol.frame.FrameCodec;
import org.ciphersync.relay.protocol.frame.FrameException;
import org.ciphersync.relay.protocol.frame.FrameLimits;
import org.ciphersync.relay.protocol.limit.RateLimiter;
import org.ciphersync.relay.protocol.message.MemberProfile;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.message.MessageCodec;
import org.ciphersync.relay.protocol.session.SessionId;

/**
 * A minimal relay client on the JDK's {@code java.net.http} WebSocket: one socket for control and
 * push, HTTP for file parts. It frames and numbers outgoing messages, decodes incoming ones strictly
 * and queues them for {@link #next(Duration)}. It knows nothing of encryption: the session client puts
 * ciphertext into {@link Message.Data}, {@link Message.CandidateMessage} and {@link Message.LeaderCommand}.
 *
 * <p>Thread-safety: {@code send*} may be called from any thread (sends are serialised and each waits
 * for the socket to accept the frame, which gives natural backpressure); reading is meant for one
 * consumer thread.
 *
 * <pre>{@code
 * try (RelayClient c = RelayClient.connect(URI.create("ws://relay:7469/ws"), Duration.ofSeconds(5))) {
 *     c.send(new Message.CreateSession(profile));
 *     Message.Welcome w = c.await(Message.Welcome.class, Duration.ofSeconds(5));
 *     SessionId id = c.session();   // read it out to the other machines
 * }
 * }</pre>
 */
public final class RelayClient implements AutoCloseable {

    /** Close code and reason the relay (or the network) closed the socket with. */
    public record CloseInfo(int code, String reason) {
    }

    private final URI wsUri;
    private final HttpClient http;
    private final WebSocket socket;
    private final Duration timeout;
    private final BlockingQueue<Inbound> inbox;
    private final CompletableFuture<CloseInfo> closed;
    private final Object sendLock = new Object();
    /** Paces frames below the protocol's rate (guarded by {@link #sendLock}). */
    private final RateLimiter pacer = new RateLimiter(FrameLimits.FRAMES_PER_SECOND * 9 / 10, FrameLimits.FRAME_BURST * 9 / 10,
            System.nanoTime());
    private long nextSequence = 1;
    private volatile long sessionId;
    private volatile int memberId;
    private volatile byte[] transferToken;
    private volatile byte[] resumeToken;

    private RelayClient(URI wsUri, HttpClient http, WebSocket socket, Duration timeout, BlockingQueue<Inbound> inbox,
            CompletableFuture<CloseInfo> closed) {
        this.wsUri = wsUri;
        this.http = http;
        this.socket = socket;
        this.timeout = timeout;
        this.inbox = inbox;
        this.closed = closed;
    }

    /**
     * Opens the WebSocket at {@code wsUri} (for example {@code ws://host:7469/ws}).
     *
     * @throws RelayException if the relay cannot be reached within {@code timeout}
     */
    public static RelayClient connect(URI wsUri, Duration timeout) throws RelayException {
        return connect(wsUri, timeout, HttpClient.newBuilder().connectTimeout(timeout).build());
    }

    /**
     * Like {@link #connect(URI, Duration)} on a shared {@link HttpClient} (many connections from one process
     * should share one: each client owns a selector thread).
     */
    public static RelayClient connect(URI wsUri, Duration timeout, HttpClient http) throws RelayException {
        Objects.requireNonNull(wsUri, "wsUri == null");
        BlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>();
        CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
        RelayClient[] self = new RelayClient[1];
        Listener listener = new Listener(inbox, closed, self);
        try {
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(wsUri, listener)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            RelayClient c = new RelayClient(wsUri, http, ws, timeout, inbox, closed);
            self[0] = c;
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayException("interrupted while connecting to the relay at " + wsUri);
        } catch (ExecutionException | TimeoutException e) {
            throw new RelayException("cannot connect to the relay at " + wsUri + ": " + rootMessage(e)
                    + " (is the relay running and the address right?)", 0, e);
        }
    }

    // ---------------------------------------------------------------- sending

    /** Sends {@code message} in the current session (if any), numbering it. */
    public void send(Message message) throws RelayException {
        sendIn(sessionId, message);
    }

    /** Asks to join {@code session}; answers arrive as {@link Message.Welcome}, {@link Message.JoinRejected} or errors. */
    public void join(SessionId session, MemberProfile profile, byte[] hello) throws RelayException {
        sessionId = session.value(); // candidate messages travel in this session too
        sendIn(session.value(), new Message.JoinRequest(profile, hello));
    }

    /** Takes back the place of {@code memberId} in {@code session} after a lost connection. */
    public void resume(SessionId session, int memberId, byte[] resumeToken) throws RelayException {
        sessionId = session.value();
        sendIn(session.value(), new Message.Resume(memberId, resumeToken));
    }

    private void sendIn(long session, Message message) throws RelayException {
        synchronized (sendLock) {
            pace();
            Frame f = MessageCodec.toFrame(message, session, nextSequence++, memberId);
            sendRaw(FrameCodec.encode(f));
        }
    }

    /**
     * Waits until the pacing bucket has a token: the client stays at 90 % of the rate every relay
     * accepts, so a burst of small messages (a manifest per file of a large tree) is slowed down
     * here instead of being dropped by the relay.
     */
    private void pace() throws RelayException {
        long now = System.nanoTime();
        while (!pacer.tryAcquire(now)) {
            try {
                Thread.sleep(pacer.millisUntilToken(now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RelayException("interrupted while sending to the relay");
            }
            now = System.nanoTime();
        }
    }

    /** Sends raw bytes as one binary message (for tests of the relay's strictness, and for pre-built frames). */
    public void sendRaw(byte[] bytes) throws RelayException {
        synchronized (sendLock) {
            try {
                socket.sendBinary(ByteBuffer.wrap(bytes), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RelayException("interrupted while sending to the relay");
            } catch (ExecutionException | TimeoutException e) {
                throw new RelayException("cannot send to the relay: " + rootMessage(e), closeCode(), e);
            }
        }
    }

    /** Sends a text message, which the relay does not accept (for tests). */
    public void sendText(String text) throws RelayException {
        synchronized (sendLock) {
            try {
                socket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RelayException("interrupted while sending to the relay");
            } catch (ExecutionException | TimeoutException e) {
                throw new RelayException("cannot send to the relay: " + rootMessage(e), closeCode(), e);
            }
        }
    }

    // ---------------------------------------------------------------- receiving

    /**
     * The next inbound frame, or {@code null} if none arrived within {@code wait}.
     * Remembers the session, member id and tokens of a {@link Message.Welcome}.
     */
    public Inbound next(Duration wait) throws RelayException {
        try {
            return inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayException("interrupted while waiting for the relay");
        }
    }

    /**
     * Waits for the next message of type {@code type}, discarding others.
     *
     * @throws RelayException if none arrives within {@code wait} or the socket closes first
     */
    public <T extends Message> T await(Class<T> type, Duration wait) throws RelayException {
        return type.cast(awaitInbound(type, wait).message());
    }

    /** Like {@link #await} but returns the whole {@link Inbound} (to see the sender). */
    public Inbound awaitInbound(Class<? extends Message> type, Duration wait) throws RelayException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RelayException("no " + type.getSimpleName() + " from the relay within " + wait.toMillis() + " ms"
                        + (closed.isDone() ? " (socket closed: " + closed.getNow(null) + ")" : ""));
            }
            Inbound in = next(Duration.ofNanos(Math.min(left, Duration.ofMillis(50).toNanos())));
            if (in != null && type.isInstance(in.message())) {
                return in;
            }
            if (in == null && closed.isDone() && inbox.isEmpty()) {
                throw new RelayException("the relay closed the connection before sending a " + type.getSimpleName()
                        + ": " + closed.getNow(null), closed.getNow(null).code(), null);
            }
        }
    }

    /** Completes when the socket is closed, with the code and reason. */
    public CompletableFuture<CloseInfo> closed() {
        return closed;
    }

    void onWelcome(Frame frame, Message.Welcome w) {
        sessionId = frame.sessionId();
        memberId = w.memberId();
        transferToken = w.transferToken();
        resumeToken = w.resumeToken();
    }

    /** The session this client belongs to, or is joining or resuming. */
    public SessionId session() {
        long s = sessionId;
        if (s == 0) {
            throw new IllegalStateException("not in a session yet");
        }
        return new SessionId(s);
    }

    /** This client's member id, 0 before a {@link Message.Welcome}. */
    public int memberId() {
        return memberId;
    }

    /** The resume token of the last {@link Message.Welcome} (a secret: keep it in memory only). */
    public byte[] resumeToken() {
        byte[] t = resumeToken;
        if (t == null) {
            throw new IllegalStateException("not a member of a session yet");
        }
        return t.clone();
    }

    // ---------------------------------------------------------------- file parts

    private URI partUri(String partId, Collection<Integer> recipients) {
        String scheme = wsUri.getScheme().equals("wss") ? "https" : "http";
        String query = recipients == null ? "" : "?to=" + recipients.stream().map(String::valueOf).collect(Collectors.joining(","));
        return URI.create(scheme + "://" + wsUri.getRawAuthority() + "/sessions/" + session() + "/parts/" + partId + query);
    }

    private String bearer() {
        byte[] t = transferToken;
        if (t == null) {
            throw new IllegalStateException("not a member of a session yet");
        }
        return "Bearer " + Base64.getUrlEncoder().withoutPadding().encodeToString(t);
    }

    /**
     * Uploads an (already encrypted) file part once, for the listed recipient members; the relay deletes it
     * when every recipient has downloaded it.
     *
     * <p>Parts go through the JDK's blocking {@link HttpURLConnection} rather than the asynchronous
     * {@link HttpClient} that carries the WebSocket: a part is one array written or read in a few large
     * system calls, where the asynchronous client cut it into 16 KiB buffers handed between threads. Measured
     * on one 1000 MiB file A &rarr; B on loopback (docs/design.md, session &sect;12). Its blocking I/O does not
     * react to {@link Thread#interrupt()}: a transfer ends when it completes, fails, or stalls for ten times the
     * client's timeout (the read timeout), and callers run transfers on daemon threads.
     *
     * @param partId 1..64 characters of {@code [A-Za-z0-9_-]}, unique in the session
     * @throws RelayException with the HTTP status if the relay refuses (quota 507, too large 413, duplicate 409, …)
     */
    public void uploadPart(String partId, byte[] data, Collection<Integer> recipients) throws RelayException {
        HttpURLConnection c = openPart(partId, recipients, "PUT");
        try {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(data.length);
            // 100-continue: a refusal (bad token, ended session) arrives before the body is sent
            c.setRequestProperty("Expect", "100-continue");
            try (OutputStream out = c.getOutputStream()) {
                out.write(data);
            } catch (ProtocolException refusedBeforeBody) {
                // the status is read below
            }
            int status = c.getResponseCode();
            if (status / 100 != 2) {
                throw refused(partId, status, c);
            }
            try (InputStream in = c.getInputStream()) {
                in.readNBytes(4096); // the short answer; reading it to the end keeps the connection for the next part
            }
        } catch (java.io.IOException e) {
            if (e instanceof RelayException re) {
                throw re;
            }
            c.disconnect();
            throw new RelayException("part transfer failed: " + e.getMessage(), 0, e);
        }
    }

    /** Downloads a part addressed to this member. */
    public byte[] downloadPart(String partId) throws RelayException {
        HttpURLConnection c = openPart(partId, null, "GET");
        try {
            int status = c.getResponseCode();
            if (status != 200) {
                throw refused(partId, status, c);
            }
            long declared = c.getContentLengthLong();
            try (InputStream in = c.getInputStream()) {
                if (declared < 0 || declared > Integer.MAX_VALUE - 16) {
                    return in.readAllBytes();
                }
                // the declared length: one array filled in place, not a list of buffers joined at the end
                byte[] data = new byte[(int) declared];
                int got = in.readNBytes(data, 0, data.length);
                if (got != data.length || in.read() != -1) {
                    throw new RelayException("download of part " + partId + " ended after " + got + " of " + declared + " bytes", 0, null);
                }
                return data;
            }
        } catch (java.io.IOException e) {
            if (e instanceof RelayException re) {
                throw re;
            }
            c.disconnect();
            throw new RelayException("download of part " + partId + " broke off: " + e.getMessage(), 0, e);
        }
    }

    private HttpURLConnection openPart(String partId, Collection<Integer> recipients, String method) throws RelayException {
        try {
            HttpURLConnection c = (HttpURLConnection) partUri(partId, recipients).toURL().openConnection(java.net.Proxy.NO_PROXY);
            c.setRequestMethod(method);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.multipliedBy(10).toMillis()));
            c.setRequestProperty("Authorization", bearer());
            return c;
        } catch (java.io.IOException e) {
            throw new RelayException("part transfer failed: " + e.getMessage(), 0, e);
        }
    }

    /** The relay's refusal with its one-line reason (read from the error body, bounded). */
    private static RelayException refused(String partId, int status, HttpURLConnection c) {
        String body = "";
        try (InputStream err = c.getErrorStream()) {
            if (err != null) {
                body = new String(err.readNBytes(1024), java.nio.charset.StandardCharsets.UTF_8).strip();
            }
        } catch (java.io.IOException e) {
            // the reason is optional
        }
        c.disconnect(); // the relay may close a connection after a refusal: the next part gets a fresh one
        if (body.isEmpty()) { // refused before the body was sent (100-continue): the connection carried no reason
            body = switch (status) {
                case 401 -> "the transfer token was not accepted";
                case 403 -> "the transfer token belongs to another session";
                case 404 -> "no such part for this member, or the session has ended";
                case 409 -> "a part with this id exists";
                case 413 -> "the part is larger than this relay accepts";
                case 507 -> "the session's storage quota on the relay is full";
                default -> "";
            };
        }
        return new RelayException("the relay refused part " + partId + ": HTTP " + status + (body.isEmpty() ? "" : " " + body), status, null);
    }

    // ---------------------------------------------------------------- closing

    /** Drops the connection without a close handshake (simulates a network loss). */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // closing anyway
            }
        }
        socket.abort();
    }

    private int closeCode() {
        CloseInfo c = closed.getNow(null);
        return c == null ? 0 : c.code();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    /** Reassembles fragmented binary messages (bounded), decodes them and queues them. */
    private static final class Listener implements WebSocket.Listener {
        private final BlockingQueue<Inbound> inbox;
        private final CompletableFuture<CloseInfo> closed;
        private final RelayClient[] self;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Listener(BlockingQueue<Inbound> inbox, CompletableFuture<CloseInfo> closed, RelayClient[] self) {
            this.inbox = inbox;
            this.closed = closed;
            this.self = self;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            if (partial.size() + data.remaining() > FrameLimits.MAX_FRAME) {
                ws.sendClose(1009, "frame too large");
                return null;
            }
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partial.writeBytes(chunk);
            if (last) {
                byte[] whole = partial.toByteArray();
                partial.reset();
                try {
                    Frame f = FrameCodec.decode(whole);
                    Message m = MessageCodec.fromFrame(f);
                    if (m instanceof Message.Welcome w) {
                        RelayClient c = self[0];
                        if (c != null) {
                            c.onWelcome(f, w);
                        }
                    }
                    inbox.add(new Inbound(f, m));
                } catch (FrameException e) {
                    ws.sendClose(1002, truncate(e.getMessage()));
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            ws.sendClose(1003, "text frames are not part of the relay protocol");
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(new CloseInfo(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(new CloseInfo(1006, String.valueOf(error.getMessage())));
        }

        private static String truncate(String s) {
            return s.length() > 120 ? s.substring(0, 120) : s;
        }
    }
}
