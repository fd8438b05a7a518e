package org.ciphersync.relay.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    /** Golden vector: changing these bytes is a protocol change. */
    @Test
    void encode_dataFrameToTwoRecipients_matchesTheDocumentedLayout() {
        Frame f = new Frame(FrameType.DATA, 0x0123456789AL, 7, 3, List.of(1, 2), new byte[] {(byte) 0xCA, (byte) 0xFE});
        String expected = "01" // version
                + "06" // type DATA
                + "000000123456789a" // session id, u64
                + "0000000000000007" // sequence
                + "00000003" // sender
                + "02" + "00000001" + "00000002" // recipient count and ids
                + "00000002" // payload length
                + "cafe"; // payload
        assertThat(HEX.formatHex(FrameCodec.encode(f))).isEqualTo(expected);
    }

    @Test
    void decode_ofEncode_isTheSameFrame() throws FrameException {
        Frame f = new Frame(FrameType.CANDIDATE_MESSAGE, 99, Long.MAX_VALUE, Integer.MAX_VALUE, List.of(5), new byte[300]);
        assertThat(FrameCodec.decode(FrameCodec.encode(f))).isEqualTo(f);
    }

    @Test
    void decode_consumesTheBufferItWasGiven() throws FrameException {
        byte[] bytes = FrameCodec.encode(Frame.of(FrameType.LEAVE, 1, 1, new byte[0]));
        ByteBuffer b = ByteBuffer.wrap(bytes);
        FrameCodec.decode(b);
        assertThat(b.hasRemaining()).isFalse();
    }

    private static byte[] valid() {
        return FrameCodec.encode(new Frame(FrameType.DATA, 1, 1, 0, List.of(2), new byte[] {1, 2, 3}));
    }

    @Test
    void decode_unknownVersion_isRefusedWithTheVersion() {
        byte[] b = valid();
        b[0] = 2;
        assertThatThrownBy(() -> FrameCodec.decode(b)).isInstanceOf(FrameException.class).hasMessageContaining("version 2");
    }

    @Test
    void decode_unknownType_isRefusedWithTheCode() {
        byte[] b = valid();
        b[1] = 0x3F;
        assertThatThrownBy(() -> FrameCodec.decode(b)).hasMessageContaining("unknown frame type 0x3f");
    }

    @Test
    void decode_truncatedHeader_isRefused() {
        assertThatThrownBy(() -> FrameCodec.decode(new byte[5])).hasMessageContaining("shorter than");
        assertThatThrownBy(() -> FrameCodec.decode((byte[]) null)).isInstanceOf(FrameException.class);
    }

    @Test
    void decode_payloadLengthLargerThanTheBytesPresent_isRefusedWithoutAllocating() {
        byte[] b = valid();
        ByteBuffer.wrap(b).putInt(27, 0x7fffffff);
        assertThatThrownBy(() -> FrameCodec.decode(b)).hasMessageContaining("exceeds");
        ByteBuffer.wrap(b).putInt(27, 4);
        assertThatThrownBy(() -> FrameCodec.decode(b)).hasMessageContaining("does not match");
    }

    @Test
    void decode_trailingBytes_areRefused() {
        byte[] v = valid();
        byte[] b = java.util.Arrays.copyOf(v, v.length + 1);
        assertThatThrownBy(() -> FrameCodec.decode(b)).hasMessageContaining("does not match");
    }

    @Test
    void decode_tooManyRecipients_isRefused() {
        byte[] b = valid();
        b[22] = 9;
        assertThatThrownBy(() -> FrameCodec.decode(b)).hasMessageContaining("recipient count 9 exceeds 8");
    }

    @Test
    void decode_recipientsOnATypeWithoutRecipients_areRefused() {
        byte[] b = valid();
        b[1] = (byte) FrameType.LEAVE.code();
        assertThatThrownBy(() -> FrameCodec.decode(b)).hasMessageContaining("takes no recipients");
    }

    @Test
    void decode_duplicateOrZeroRecipient_isRefused() {
        byte[] dup = FrameCodec.encode(new Frame(FrameType.DATA, 1, 1, 0, List.of(2, 3), new byte[0]));
        ByteBuffer.wrap(dup).putInt(27, 2);
        assertThatThrownBy(() -> FrameCodec.decode(dup)).hasMessageContaining("listed twice");
        byte[] zero = valid();
        ByteBuffer.wrap(zero).putInt(23, 0);
        assertThatThrownBy(() -> FrameCodec.decode(zero)).hasMessageContaining("not a member id");
    }

    @Test
    void decode_negativeSequenceOrSender_isRefused() {
        byte[] b = valid();
        b[10] = (byte) 0x80;
        assertThatThrownBy(() -> FrameCodec.decode(b)).hasMessageContaining("sequence");
        byte[] s = valid();
        s[18] = (byte) 0x80;
        assertThatThrownBy(() -> FrameCodec.decode(s)).hasMessageContaining("sender");
    }

    @Test
    void decode_sessionIdBeyond45Bits_isRefused() {
        byte[] b = valid();
        b[2] = 1;
        assertThatThrownBy(() -> FrameCodec.decode(b)).hasMessageContaining("45 bits");
    }

    @Test
    void decode_controlFrameLargerThanItsTypeAllows_isRefused() {
        Frame big = new Frame(FrameType.DATA, 1, 1, 0, List.of(), new byte[FrameType.ADMIT.maxPayload() + 1]);
        byte[] b = FrameCodec.encode(big);
        b[1] = (byte) FrameType.ADMIT.code();
        assertThatThrownBy(() -> FrameCodec.decode(b)).hasMessageContaining("ADMIT payload length 17 exceeds 16");
    }

    @Test
    void decode_frameBeyondTheMaximum_isRefusedBeforeParsing() {
        assertThatThrownBy(() -> FrameCodec.decode(new byte[FrameLimits.MAX_FRAME + 1])).hasMessageContaining("exceeds the maximum");
    }

    @Test
    void frame_toString_showsThePayloadLengthButNoBytes() {
        Frame f = Frame.of(FrameType.DATA, 1, 1, "SECRET-PAYLOAD".getBytes());
        assertThat(f.toString()).contains("14 bytes").doesNotContain("SECRET");
    }

    @Test
    void frame_constructor_validatesItsFields() {
        assertThatThrownBy(() -> new Frame(FrameType.DATA, 1, -1, 0, List.of(), new byte[0])).hasMessageContaining("sequence -1");
        assertThatThrownBy(() -> new Frame(FrameType.LEAVE, 1, 1, 0, List.of(3), new byte[0])).hasMessageContaining("takes no recipients");
        assertThatThrownBy(() -> new Frame(FrameType.DATA, 1, 1, 0, List.of(3, 3), new byte[0])).hasMessageContaining("twice");
        assertThatThrownBy(() -> new Frame(FrameType.DATA, 1, 1, 0, List.of(), new byte[FrameLimits.MAX_PAYLOAD + 1]))
                .hasMessageContaining("exceeds");
    }

    @Test
    void frame_payload_isCopiedInAndOut() {
        byte[] p = {1, 2};
        Frame f = Frame.of(FrameType.DATA, 1, 1, p);
        p[0] = 9;
        f.payload()[1] = 9;
        assertThat(f.payload()).containsExactly(1, 2);
    }
}
