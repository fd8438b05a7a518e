package org.ciphersync.relay.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.ciphersync.relay.protocol.message.MessageCodec;

/** Hostile input: whatever the bytes, the codecs answer with a frame or a {@link FrameException}, nothing else. */
class FrameCodecFuzzProperties {

    @Property(tries = 500)
    void randomBytes_decodeOrFailWithFrameExceptionOnly(@ForAll @Size(max = 200) byte[] bytes) {
        decodeBoth(bytes);
    }

    @Property(tries = 500)
    void mutatedValidFrames_decodeOrFailWithFrameExceptionOnly(@ForAll("frames") Frame frame,
            @ForAll @IntRange(min = 0, max = 1000) int position, @ForAll byte value, @ForAll @IntRange(min = 0, max = 3) int cut) {
        byte[] b = FrameCodec.encode(frame);
        b[position % b.length] = value;
        byte[] truncated = java.util.Arrays.copyOf(b, Math.max(0, b.length - cut));
        decodeBoth(truncated);
    }

    @Property(tries = 300)
    void validFrames_roundTrip(@ForAll("frames") Frame frame) throws FrameException {
        assertThat(FrameCodec.decode(FrameCodec.encode(frame))).isEqualTo(frame);
    }

    private static void decodeBoth(byte[] bytes) {
        try {
            Frame f = FrameCodec.decode(bytes);
            MessageCodec.fromFrame(f);
        } catch (FrameException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<Frame> frames() {
        Arbitrary<FrameType> types = Arbitraries.of(FrameType.class);
        Arbitrary<Long> sessions = Arbitraries.longs().between(0, org.ciphersync.relay.protocol.session.SessionId.MAX_VALUE);
        Arbitrary<Long> seqs = Arbitraries.longs().greaterOrEqual(0);
        Arbitrary<Integer> senders = Arbitraries.integers().between(0, 100);
        Arbitrary<List<Integer>> recipients = Arbitraries.integers().between(1, 50).list().uniqueElements().ofMaxSize(FrameLimits.MAX_RECIPIENTS);
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Combinators.combine(types, sessions, seqs, senders, recipients, payloads).as((t, s, q, from, to, p) -> {
            byte[] payload = p.length > t.maxPayload() ? java.util.Arrays.copyOf(p, t.maxPayload()) : p;
            return new Frame(t, s, q, from, t.takesRecipients() ? to : List.of(), payload);
        });
    }
}
