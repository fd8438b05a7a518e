package org.ciphersync.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.relay.server.RelayFixture.WAIT;
import static org.ciphersync.relay.server.RelayFixture.eventually;
import static org.ciphersync.relay.server.RelayFixture.letters;
import static org.ciphersync.relay.server.RelayFixture.list;
import static org.ciphersync.relay.server.RelayFixture.profile;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.ciphersync.relay.protocol.client.Inbound;
import org.ciphersync.relay.protocol.client.RelayClient;
import org.ciphersync.relay.protocol.client.RelayException;
import org.ciphersync.relay.protocol.frame.FrameLimits;
import org.ciphersync.relay.protocol.message.ErrorCode;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.relay.protocol.session.SessionId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay over real WebSockets and HTTP on loopback, with a hand-moved clock for grace, lockout and expiry. */
class RelayServerIT {

    @TempDir
    Path dir;
    RelayFixture relay;

    RelayFixture start(RelayConfig.Builder b) {
        relay = new RelayFixture(b);
        return relay;
    }

    RelayFixture start() {
        return start(RelayConfig.builder(dir));
    }

    @AfterEach
    void tearDown() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void fiveClientsJoinOneSession_andAllSeeTheSameLetteredList() throws Exception {
        start();
        RelayClient a = relay.create("alpha");
        List<RelayClient> all = new java.util.ArrayList<>(List.of(a));
        for (String name : List.of("bravo", "charlie", "delta", "echo")) {
            all.add(relay.join(a, name));
        }
        for (RelayClient c : all) {
            Message.MemberList l = list(c, x -> x.members().size() == 5);
            assertThat(letters(l)).isEqualTo("A:alpha B:bravo C:charlie D:delta E:echo");
            assertThat(l.members()).allSatisfy(m -> assertThat(m.publicIp()).isEqualTo("127.0.0.1"));
        }
        assertThat(a.session().toString()).matches("[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}");
    }

    @Test
    void aSixthClient_isRefusedBecauseTheSessionIsFull() throws Exception {
        start();
        RelayClient a = relay.create("a");
        for (String n : List.of("b", "c", "d", "e")) {
            relay.join(a, n);
        }
        RelayClient f = relay.client();
        f.join(a.session(), profile("f"), new byte[0]);
        Message.Error e = f.await(Message.Error.class, WAIT);
        assertThat(e.code()).isEqualTo(ErrorCode.SESSION_FULL);
        assertThat(e.message()).contains("5 members");
    }

    @Test
    void whenBLeaves_cBecomesBForEveryone() throws Exception {
        start();
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        RelayClient c = relay.join(a, "c");
        RelayClient d = relay.join(a, "d");
        b.send(new Message.Leave());
        assertThat(b.await(Message.MemberLeft.class, WAIT).reason()).isEqualTo(Message.MemberLeft.LeaveReason.LEFT);
        assertThat(c.await(Message.MemberLeft.class, WAIT).memberId()).isEqualTo(b.memberId());
        for (RelayClient x : List.of(a, c, d)) {
            assertThat(letters(list(x, l -> l.members().size() == 3))).isEqualTo("A:a B:c C:d");
        }
    }

    @Test
    void whenALeaves_theNextMemberLeads_andOnlyItsLeaderCommandsPass() throws Exception {
        start();
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        RelayClient c = relay.join(a, "c");
        a.send(new Message.Leave());
        assertThat(letters(list(c, l -> l.members().size() == 2))).isEqualTo("A:b B:c");
        b.send(new Message.LeaderCommand(Message.LeaderCommand.Kind.START_INVENTORY, new byte[] {42}));
        Inbound in = c.awaitInbound(Message.LeaderCommand.class, WAIT);
        assertThat(in.sender()).isEqualTo(b.memberId());
        assertThat(((Message.LeaderCommand) in.message()).kind()).isEqualTo(Message.LeaderCommand.Kind.START_INVENTORY);
    }

    @Test
    void aLeaderOnlyCommandFromANonLeader_isRefusedAndNotForwarded() throws Exception {
        start();
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        for (Message.LeaderCommand.Kind k : Message.LeaderCommand.Kind.values()) {
            b.send(new Message.LeaderCommand(k, new byte[] {1}));
            Message.Error e = b.await(Message.Error.class, WAIT);
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_LEADER);
            assertThat(e.message()).contains("only member A");
        }
        a.send(new Message.Data(List.of(), new byte[] {9}));
        assertThat(b.await(Message.Data.class, WAIT).payload()).containsExactly(9);
        for (Inbound in = a.next(Duration.ofMillis(100)); in != null; in = a.next(Duration.ofMillis(100))) {
            assertThat(in.message()).as("nothing of B's commands reached the leader").isNotInstanceOf(Message.LeaderCommand.class);
        }
        assertThat(relay.server.hub().metrics().leaderCommandsRefused.sum()).isEqualTo(4);
    }

    @Test
    void dataGoesToAllOtherMembersOrOnlyToTheListedOnes() throws Exception {
        start();
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        RelayClient c = relay.join(a, "c");
        a.send(new Message.Data(List.of(), new byte[] {1}));
        assertThat(b.await(Message.Data.class, WAIT).payload()).containsExactly(1);
        assertThat(c.await(Message.Data.class, WAIT).payload()).containsExactly(1);
        a.send(new Message.Data(List.of(c.memberId()), new byte[] {2}));
        Inbound in = c.awaitInbound(Message.Data.class, WAIT);
        assertThat(((Message.Data) in.message()).payload()).containsExactly(2);
        assertThat(in.sender()).isEqualTo(a.memberId());
        b.send(new Message.Data(List.of(a.memberId()), new byte[] {3}));
        assertThat(a.await(Message.Data.class, WAIT).payload()).as("b got nothing in between").containsExactly(3);
        a.send(new Message.Data(List.of(99), new byte[] {4}));
        assertThat(a.await(Message.Error.class, WAIT).code()).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT);
    }

    @Test
    void rejectedJoins_lockTheCandidateOutAfterFiveFailures_untilTheLockoutEnds() throws Exception {
        start(RelayConfig.builder(dir).lockoutBase(Duration.ofSeconds(30)));
        RelayClient a = relay.create("a");
        RelayClient cand = relay.client();
        for (int i = 1; i <= 5; i++) {
            cand.join(a.session(), profile("cand"), new byte[0]);
            Message.JoinRequested jr = a.await(Message.JoinRequested.class, WAIT);
            a.send(new Message.Reject(jr.candidateId()));
            Message.JoinRejected r = cand.await(Message.JoinRejected.class, WAIT);
            assertThat(r.reason()).contains("wrong session ID or password");
            assertThat(r.retryAfterMillis()).isEqualTo(i < 5 ? 0 : 30_000);
        }
        cand.join(a.session(), profile("cand"), new byte[0]);
        Message.JoinRejected locked = cand.await(Message.JoinRejected.class, WAIT);
        assertThat(locked.reason()).contains("too many failed attempts").contains("30 s");
        assertThat(locked.retryAfterMillis()).isEqualTo(30_000);
        for (Inbound in = a.next(Duration.ofMillis(100)); in != null; in = a.next(Duration.ofMillis(100))) {
            assertThat(in.message()).as("a locked-out attempt never reaches a member").isNotInstanceOf(Message.JoinRequested.class);
        }

        relay.clock.advance(Duration.ofSeconds(31));
        cand.join(a.session(), profile("cand"), new byte[0]);
        Message.JoinRequested jr = a.await(Message.JoinRequested.class, WAIT);
        a.send(new Message.Reject(jr.candidateId()));
        assertThat(cand.await(Message.JoinRejected.class, WAIT).retryAfterMillis()).as("the lockout doubles").isEqualTo(60_000);
        assertThat(relay.server.hub().metrics().render()).contains("relay_join_failures_total 6").contains("relay_locked_out_attempts_total 1");
    }

    @Test
    void failuresFromOneAddressAcrossSessions_lockThatAddressOutOfAThirdSession() throws Exception {
        start();
        RelayClient s1 = relay.create("s1");
        RelayClient s2 = relay.create("s2");
        RelayClient s3 = relay.create("s3");
        RelayClient cand = relay.client();
        for (int i = 0; i < 5; i++) {
            RelayClient sponsor = i % 2 == 0 ? s1 : s2;
            cand.join(sponsor.session(), profile("cand"), new byte[0]);
            sponsor.send(new Message.Reject(sponsor.await(Message.JoinRequested.class, WAIT).candidateId()));
            cand.await(Message.JoinRejected.class, WAIT);
        }
        cand.join(s3.session(), profile("cand"), new byte[0]);
        assertThat(cand.await(Message.JoinRejected.class, WAIT).retryAfterMillis()).isPositive();
    }

    @Test
    void aDroppedMember_resumesWithinTheGracePeriod_keepingItsLetterAndMissedFrames() throws Exception {
        start(RelayConfig.builder(dir).gracePeriod(Duration.ofSeconds(60)));
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        RelayClient c = relay.join(a, "c");
        SessionId s = a.session();
        int bId = b.memberId();
        byte[] token = b.resumeToken();
        b.abort();
        Message.MemberList offline = list(a, l -> l.members().size() == 3 && !l.members().get(1).online());
        assertThat(letters(offline)).isEqualTo("A:a B:b C:c");
        a.send(new Message.Data(List.of(), "while-you-were-away".getBytes(StandardCharsets.UTF_8)));

        relay.clock.advance(Duration.ofSeconds(59));
        Thread.sleep(60); // let a sweep run at the new time
        RelayClient b2 = relay.client();
        b2.resume(s, bId, token);
        Message.Welcome w = b2.await(Message.Welcome.class, WAIT);
        assertThat(w.resumed()).isTrue();
        assertThat(w.memberId()).isEqualTo(bId);
        assertThat(new String(b2.await(Message.Data.class, WAIT).payload(), StandardCharsets.UTF_8)).isEqualTo("while-you-were-away");
        Message.MemberList back = list(c, l -> l.members().stream().allMatch(m -> m.online()));
        assertThat(letters(back)).isEqualTo("A:a B:b C:c");

        RelayClient replay = relay.client();
        replay.resume(s, bId, token);
        assertThat(replay.await(Message.Error.class, WAIT).code()).as("the old token was rotated").isEqualTo(ErrorCode.RESUME_FAILED);
    }

    @Test
    void aDroppedMember_losesItsPlaceAfterTheGracePeriod() throws Exception {
        start(RelayConfig.builder(dir).gracePeriod(Duration.ofSeconds(60)));
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        RelayClient c = relay.join(a, "c");
        SessionId s = a.session();
        int bId = b.memberId();
        byte[] token = b.resumeToken();
        b.abort();
        list(a, l -> l.members().size() == 3 && !l.members().get(1).online());
        relay.clock.advance(Duration.ofSeconds(61));
        Message.MemberLeft left = c.await(Message.MemberLeft.class, WAIT);
        assertThat(left.memberId()).isEqualTo(bId);
        assertThat(left.reason()).isEqualTo(Message.MemberLeft.LeaveReason.CONNECTION_LOST);
        assertThat(letters(list(c, l -> l.members().size() == 2))).isEqualTo("A:a B:c");
        RelayClient b2 = relay.client();
        b2.resume(s, bId, token);
        Message.Error e = b2.await(Message.Error.class, WAIT);
        assertThat(e.code()).isEqualTo(ErrorCode.RESUME_FAILED);
        assertThat(e.message()).contains("join the session again");
    }

    @Test
    void theSessionEnds_whenItsLastMemberLeaves() throws Exception {
        start();
        RelayClient a = relay.create("a");
        SessionId s = a.session();
        a.send(new Message.Leave());
        a.await(Message.MemberLeft.class, WAIT);
        eventually(() -> relay.server.sessions().size() == 0, "the session is gone");
        RelayClient x = relay.client();
        x.join(s, profile("x"), new byte[0]);
        assertThat(x.await(Message.Error.class, WAIT).code()).isEqualTo(ErrorCode.UNKNOWN_SESSION);
    }

    @Test
    void anIdleSession_expires_andItsMembersAreToldAndDisconnected() throws Exception {
        start(RelayConfig.builder(dir).idleExpiry(Duration.ofMinutes(30)));
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        relay.clock.advance(Duration.ofMinutes(31));
        assertThat(b.await(Message.SessionEnded.class, WAIT).reason()).isEqualTo(Message.SessionEnded.EndReason.IDLE_EXPIRED);
        assertThat(a.closed().get(5, java.util.concurrent.TimeUnit.SECONDS).code()).isEqualTo(1000);
        assertThat(relay.server.sessions().size()).isZero();
    }

    @Test
    void aMalformedFrame_closesOnlyThatConnection() throws Exception {
        start();
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        RelayClient stranger = relay.client();
        stranger.sendRaw(new byte[] {1, 0x06, 0, 0, 0});
        RelayClient.CloseInfo closed = stranger.closed().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(1002);
        assertThat(closed.reason()).contains("malformed frame");
        b.sendRaw(new byte[] {9, 9, 9});
        assertThat(b.closed().get(5, java.util.concurrent.TimeUnit.SECONDS).code()).isEqualTo(1002);
        RelayClient c = relay.join(a, "c");
        c.send(new Message.Data(List.of(), new byte[] {7}));
        assertThat(a.await(Message.Data.class, WAIT).payload()).containsExactly(7);
        assertThat(relay.server.hub().metrics().malformedFrames.sum()).isEqualTo(2);
    }

    @Test
    void aTextMessage_closesTheConnection() throws Exception {
        start();
        RelayClient x = relay.client();
        x.sendText("{\"hello\":1}");
        assertThat(x.closed().get(5, java.util.concurrent.TimeUnit.SECONDS).code()).isEqualTo(1003);
    }

    @Test
    void anOversizedFrame_isRefusedByClosingTheConnection() throws Exception {
        start();
        RelayClient a = relay.create("a");
        try {
            a.sendRaw(new byte[FrameLimits.MAX_FRAME + 1]);
        } catch (RelayException expectedIfClosedMidSend) {
            // the relay may close while the client still writes
        }
        assertThat(a.closed().get(5, java.util.concurrent.TimeUnit.SECONDS).code()).isEqualTo(1009);
        RelayClient b = relay.create("b");
        assertThat(b.memberId()).as("the relay still serves others").isEqualTo(1);
    }

    @Test
    void framesAboveTheRate_areRefused_andPersistentFloodingClosesTheConnection() throws Exception {
        start(RelayConfig.builder(dir).framesPerSecond(5).frameBurst(10).maxRateViolations(20));
        RelayClient a = relay.create("a");
        relay.join(a, "b");
        for (int i = 0; i < 15; i++) {
            a.send(new Message.Data(List.of(), new byte[] {(byte) i}));
        }
        Message.Error e = a.await(Message.Error.class, WAIT);
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.retryAfterMillis()).isPositive();
        try {
            for (int i = 0; i < 40; i++) {
                a.send(new Message.Data(List.of(), new byte[] {1}));
            }
        } catch (RelayException closedMidway) {
            // expected once the relay has closed the socket
        }
        RelayClient.CloseInfo closed = a.closed().get(5, java.util.concurrent.TimeUnit.SECONDS);
        // 1008 with the reason; or 1006 when frames the client sent after the relay closed the socket
        // made its TCP stack reset the connection, which discards the unread close frame (load-dependent)
        assertThat(closed.code()).isIn(1008, 1006);
        if (closed.code() == 1008) {
            assertThat(closed.reason()).contains("rate limit");
        }
        assertThat(relay.server.hub().metrics().rateLimited.sum()).as("frames refused before the close").isGreaterThan(20);
    }

    @Test
    void aClientSendingFlatOut_pacesItselfUnderTheDefaultRate_andNoFrameIsDropped() throws Exception {
        start();
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        int n = FrameLimits.FRAME_BURST + 1000; // more than one burst: the pacing must kick in
        for (int i = 0; i < n; i++) {
            a.send(new Message.Data(List.of(), java.nio.ByteBuffer.allocate(4).putInt(i).array()));
        }
        for (int i = 0; i < n; i++) {
            assertThat(java.nio.ByteBuffer.wrap(b.await(Message.Data.class, WAIT).payload()).getInt()).isEqualTo(i);
        }
        assertThat(relay.server.hub().metrics().rateLimited.sum()).isZero();
    }

    @Test
    void aPart_isUploadedOnce_downloadedByThreeRecipients_thenDeleted() throws Exception {
        start();
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        RelayClient c = relay.join(a, "c");
        RelayClient d = relay.join(a, "d");
        byte[] part = new byte[300_000];
        new java.util.Random(1).nextBytes(part);
        a.uploadPart("chunk-0001", part, List.of(b.memberId(), c.memberId(), d.memberId()));
        assertThatThrownBy(() -> a.uploadPart("chunk-0001", part, List.of(b.memberId())))
                .isInstanceOfSatisfying(RelayException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThatThrownBy(() -> a.downloadPart("chunk-0001")).as("the uploader is no recipient")
                .isInstanceOfSatisfying(RelayException.class, e -> assertThat(e.status()).isEqualTo(404));
        for (RelayClient r : List.of(b, c, d)) {
            assertThat(r.downloadPart("chunk-0001")).isEqualTo(part);
        }
        // the relay marks a download done after its last byte left, which may be just after the client has it
        eventually(() -> relay.server.parts().partCount() == 0, "the fetched part is deleted");
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
        assertThatThrownBy(() -> b.downloadPart("chunk-0001"))
                .isInstanceOfSatisfying(RelayException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void aMemberThatStopsReading_isDisconnectedInsteadOfFillingTheRelaysMemory() throws Exception {
        start(RelayConfig.builder(dir).maxOutboundQueueBytes(256 << 10));
        // A reads exactly one message (its WELCOME) and then never asks for more: its TCP window closes.
        java.util.concurrent.CompletableFuture<byte[]> welcome = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket stalled = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(relay.wsUri(),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public void onOpen(java.net.http.WebSocket ws) {
                        ws.request(1);
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket ws, java.nio.ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        welcome.complete(b);
                        return null;
                    }
                }).get(5, java.util.concurrent.TimeUnit.SECONDS);
        stalled.sendBinary(java.nio.ByteBuffer.wrap(org.ciphersync.relay.protocol.frame.FrameCodec.encode(
                org.ciphersync.relay.protocol.message.MessageCodec.toFrame(new Message.CreateSession(profile("a")), 0, 1, 0))), true).get();
        long session = org.ciphersync.relay.protocol.frame.FrameCodec.decode(welcome.get(5, java.util.concurrent.TimeUnit.SECONDS)).sessionId();
        RelayClient b = relay.client();
        b.join(new SessionId(session), profile("b"), new byte[0]);
        // A cannot read the join request, but the first candidate id of a session is always 2;
        // admit only once the relay has registered the candidate (the join is sent asynchronously).
        long until = System.nanoTime() + WAIT.toNanos();
        while (relay.server.hub().session(new SessionId(session)).map(st -> st.nextId() < 3).orElse(true)
                && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        stalled.sendBinary(java.nio.ByteBuffer.wrap(org.ciphersync.relay.protocol.frame.FrameCodec.encode(
                org.ciphersync.relay.protocol.message.MessageCodec.toFrame(new Message.Admit(2), session, 2, 1))), true).get();
        b.await(Message.Welcome.class, WAIT);
        byte[] mib = new byte[FrameLimits.MAX_PAYLOAD];
        for (int i = 0; i < 64 && relay.server.hub().connectionCount() == 2; i++) {
            b.send(new Message.Data(List.of(), mib));
        }
        Message.MemberList l = list(b, x -> x.members().size() == 2 && !x.members().get(0).online());
        assertThat(letters(l)).as("A keeps its place for the grace period").isEqualTo("A:a B:b");
        assertThat(relay.server.hub().connectionCount()).isEqualTo(1);
    }

    @Test
    void aRestartByTheLeader_dropsTheSessionsParts() throws Exception {
        start();
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        a.uploadPart("p1", new byte[10], List.of(b.memberId()));
        a.send(new Message.LeaderCommand(Message.LeaderCommand.Kind.RESTART, new byte[] {1}));
        assertThat(b.await(Message.LeaderCommand.class, WAIT).kind()).isEqualTo(Message.LeaderCommand.Kind.RESTART);
        assertThat(relay.server.parts().partCount()).isZero();
        assertThat(relay.server.sessions().get(a.session()).orElseThrow().members()).hasSize(2);
    }

    @Test
    void anUploadBeyondTheSessionQuota_isRefused() throws Exception {
        start(RelayConfig.builder(dir).sessionQuotaBytes(100_000).maxPartBytes(80_000));
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        a.uploadPart("p1", new byte[60_000], List.of(b.memberId()));
        assertThatThrownBy(() -> a.uploadPart("p2", new byte[60_000], List.of(b.memberId())))
                .isInstanceOfSatisfying(RelayException.class, e -> {
                    assertThat(e.status()).isEqualTo(507);
                    assertThat(e.getMessage()).contains("quota");
                });
        // An over-long upload is refused before its body is sent (the client asks 100-continue first).
        assertThatThrownBy(() -> a.uploadPart("p3", new byte[80_001], List.of(b.memberId())))
                .isInstanceOfSatisfying(RelayException.class, e -> {
                    assertThat(e.status()).as(e.getMessage()).isEqualTo(413);
                    assertThat(e.getMessage()).containsAnyOf("larger", "exceeds");
                });
        assertThat(relay.server.parts().usedBytes(a.session())).as("nothing of the refused part is kept").isEqualTo(60_000);
        b.downloadPart("p1");
        eventually(() -> relay.server.parts().usedBytes(a.session()) == 0, "the fetched part releases its quota");
        a.uploadPart("p2", new byte[60_000], List.of(b.memberId()));
    }

    @Test
    void partEndpoints_refuseMissingOrForeignTokens() throws Exception {
        start();
        RelayClient a = relay.create("a");
        RelayClient b = relay.join(a, "b");
        RelayClient other = relay.create("other");
        HttpClient http = HttpClient.newHttpClient();
        String path = "/sessions/" + a.session() + "/parts/p1?to=" + b.memberId();
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(relay.httpUri(path)).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> a.uploadPart("p1", new byte[1], List.of(a.memberId())))
                .isInstanceOfSatisfying(RelayException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> a.uploadPart("../../etc", new byte[1], List.of(b.memberId())))
                .isInstanceOf(RelayException.class);
        // a token of another session does not open this one
        java.lang.reflect.Field f = RelayClient.class.getDeclaredField("transferToken");
        f.setAccessible(true);
        String foreign = Base64.getUrlEncoder().withoutPadding().encodeToString((byte[]) f.get(other));
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(relay.httpUri(path)).header("Authorization", "Bearer " + foreign)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(403);
    }

    @Test
    void healthAndMetrics_reportTheRelayState() throws Exception {
        start();
        RelayClient a = relay.create("a");
        relay.join(a, "b");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(relay.httpUri("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"sessions\":1").contains("\"connections\":2");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(relay.httpUri("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(metrics.body()).contains("# TYPE relay_sessions gauge\nrelay_sessions 1\n")
                .contains("relay_connections 2\n").contains("relay_joins_admitted_total 1\n")
                .contains("relay_join_failures_total 0\n").contains("relay_lockouts_total 0\n")
                .contains("relay_frames_received_total ").contains("relay_bytes_sent_total ");
    }

    @Test
    void theRelay_neverLogsOrStoresPayloadsOrTokens() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        byte[] secret = "TOP-SECRET-PLAINTEXT-4711".getBytes(StandardCharsets.UTF_8);
        byte[] resumeToken;
        RelayClient a;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            start();
            a = relay.create("a");
            RelayClient b = relay.join(a, "b");
            resumeToken = b.resumeToken();
            a.send(new Message.Data(List.of(), secret));
            b.await(Message.Data.class, WAIT);
            a.send(new Message.LeaderCommand(Message.LeaderCommand.Kind.SETTINGS, secret));
            b.send(new Message.LeaderCommand(Message.LeaderCommand.Kind.SETTINGS, secret));
            b.await(Message.Error.class, WAIT);
            a.uploadPart("p1", secret, List.of(b.memberId()));
            b.downloadPart("p1");
            b.sendRaw(secret);
            b.closed().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(relay.server.sessions().get(a.session()).orElseThrow().toString()).doesNotContain("TOP-SECRET");
        } finally {
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the relay logged something").contains("created");
        assertThat(log).doesNotContain("TOP-SECRET").doesNotContain(HexFormat.of().formatHex(secret))
                .doesNotContain(Base64.getEncoder().encodeToString(secret).substring(0, 16))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(resumeToken))
                .doesNotContain(HexFormat.of().formatHex(resumeToken));
    }
}
