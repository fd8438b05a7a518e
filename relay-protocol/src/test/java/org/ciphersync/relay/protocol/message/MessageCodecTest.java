package org.ciphersync.relay.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.ciphersync.relay.protocol.frame.Frame;
import org.ciphersync.relay.protocol.frame.FrameCodec;
import org.ciphersync.relay.protocol.frame.FrameException;
import org.ciphersync.relay.protocol.frame.FrameType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {

    static final MemberProfile PROFILE = new MemberProfile("laptop-ana", "ana@example.org", new byte[] {1, 2, 3, 4});
    static final byte[] TOKEN = new byte[32];
    static final byte[] TOKEN2 = filled(32, 7);

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    static Stream<Message> everyMessage() {
        MemberView a = new MemberView(1, 'A', PROFILE, "203.0.113.7", "ready", true);
        MemberView b = new MemberView(4, 'B', new MemberProfile("pc", "", new byte[0]), "2001:db8::1", "", false);
        return Stream.of(
                new Message.CreateSession(PROFILE),
                new Message.JoinRequest(PROFILE, new byte[] {9, 9}),
                new Message.CandidateMessage(List.of(), new byte[] {1}),
                new Message.CandidateMessage(List.of(3), new byte[] {2}),
                new Message.Admit(3),
                new Message.Reject(3),
                new Message.Data(List.of(), new byte[100]),
                new Message.Data(List.of(2, 3), new byte[] {5}),
                new Message.LeaderCommand(Message.LeaderCommand.Kind.RESTART, new byte[] {1, 2}),
                new Message.SetStatus("inventory ✓"),
                new Message.Leave(),
                new Message.Resume(2, TOKEN2),
                new Message.Welcome(2, TOKEN, TOKEN2, true, false),
                new Message.MemberList(7, List.of(a, b)),
                new Message.JoinRequested(5, PROFILE, "198.51.100.2", new byte[] {4}),
                new Message.JoinRejected("wrong session ID or password", 30_000),
                new Message.MemberLeft(4, Message.MemberLeft.LeaveReason.CONNECTION_LOST),
                new Message.SessionEnded(Message.SessionEnded.EndReason.IDLE_EXPIRED),
                new Message.Error(ErrorCode.NOT_LEADER, "only member A can restart", 0));
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void fromFrame_ofToFrame_returnsTheSameMessage(Message m) throws FrameException {
        Frame f = MessageCodec.toFrame(m, 42, 1, 0);
        Frame wire = FrameCodec.decode(FrameCodec.encode(f));
        assertThat(MessageCodec.fromFrame(wire)).isEqualTo(m);
        assertThat(wire.type()).isEqualTo(m.type());
    }

    /** Golden vector of a structured body: changing it is a protocol change. */
    @Test
    void encodeBody_memberList_matchesTheDocumentedLayout() {
        Message.MemberList ml = new Message.MemberList(3, List.of(new MemberView(1, 'A', new MemberProfile("pc", "a@b", new byte[] {(byte) 0xAB}),
                "10.0.0.1", "ok", true)));
        assertThat(HexFormat.of().formatHex(MessageCodec.encodeBody(ml))).isEqualTo(
                "0000000000000003" // epoch
                        + "01" // count
                        + "00000001" + "41" // id, letter A
                        + "0002" + "7063" + "0003" + "614062" + "0001" + "ab" // profile
                        + "0008" + "31302e302e302e31" // ip
                        + "0002" + "6f6b" // status
                        + "01"); // online
    }

    @Test
    void welcomeAndResume_toString_hideTheTokens() {
        Message.Welcome w = new Message.Welcome(2, filled(32, 0x41), filled(32, 0x42), false, false);
        assertThat(w.toString()).contains("hidden").doesNotContain("65").doesNotContain("AAAA");
        assertThat(new Message.Resume(2, filled(32, 0x41)).toString()).contains("hidden").doesNotContain("65, 65");
    }

    @Test
    void dataToString_showsTheSizeNotTheBytes() {
        assertThat(new Message.Data(List.of(), "SECRET".getBytes()).toString()).contains("6 bytes").doesNotContain("SECRET");
    }

    private static Frame frame(FrameType t, long session, byte[] body) {
        return new Frame(t, session, 1, 0, List.of(), body);
    }

    @Test
    void fromFrame_joinOrResumeWithoutSession_isRefused() {
        byte[] body = MessageCodec.encodeBody(new Message.JoinRequest(PROFILE, new byte[0]));
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.JOIN_REQUEST, 0, body))).isInstanceOf(FrameException.class)
                .hasMessageContaining("must name a session");
    }

    @Test
    void fromFrame_truncatedBody_namesTheField() {
        byte[] body = MessageCodec.encodeBody(new Message.CreateSession(PROFILE));
        byte[] cut = Arrays.copyOf(body, body.length - 2);
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.CREATE_SESSION, 0, cut))).hasMessageContaining("identity key");
    }

    @Test
    void fromFrame_trailingBytes_areRefused() {
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.SET_STATUS, 1, new byte[] {0, 1, 'a', 0})))
                .hasMessageContaining("SET_STATUS body has 1 trailing");
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.ADMIT, 1, new byte[] {0, 0, 0, 1, 0})))
                .hasMessageContaining("trailing");
    }

    @Test
    void fromFrame_invalidUtf8OrControlCharacters_areRefused() {
        byte[] badUtf8 = {0, 2, (byte) 0xC3, (byte) 0x28};
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.SET_STATUS, 1, badUtf8))).hasMessageContaining("UTF-8");
        byte[] control = {0, 2, 'o', 0x07};
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.SET_STATUS, 1, control))).hasMessageContaining("U+0007");
        byte[] bidi = {0, 3, (byte) 0xE2, (byte) 0x80, (byte) 0xAE}; // U+202E right-to-left override
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.SET_STATUS, 1, bidi))).hasMessageContaining("U+202E");
    }

    @Test
    void fromFrame_zeroCandidateId_isRefused() {
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.ADMIT, 1, new byte[4]))).hasMessageContaining("candidate id 0");
    }

    @Test
    void fromFrame_memberListOfSix_isRefused() {
        byte[] body = MessageCodec.encodeBody(new Message.MemberList(1, List.of()));
        body[8] = 6;
        byte[] b = body;
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.MEMBER_LIST, 1, b))).hasMessageContaining("member count 6");
    }

    @Test
    void fromFrame_unknownLeaderCommandOrErrorCode_isRefused() {
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.LEADER_COMMAND, 1, new byte[] {99})))
                .hasMessageContaining("leader command kind 99");
        byte[] err = MessageCodec.encodeBody(new Message.Error(ErrorCode.BUSY, "x", 0));
        err[0] = (byte) 200;
        byte[] e = err;
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.ERROR, 1, e))).hasMessageContaining("error code 200");
    }

    @Test
    void fromFrame_blankMachineName_isRefused() {
        byte[] body = {0, 1, ' ', 0, 0, 0, 0};
        assertThatThrownBy(() -> MessageCodec.fromFrame(frame(FrameType.CREATE_SESSION, 0, body))).hasMessageContaining("blank");
    }

    @Test
    void memberProfile_overlongFields_areRefusedWithTheirName() {
        assertThatThrownBy(() -> new MemberProfile("x".repeat(65), "", new byte[0])).hasMessageContaining("machine name has 65");
        assertThatThrownBy(() -> new MemberProfile("pc", "", new byte[257])).hasMessageContaining("identity key of 257");
    }
}
