package org.ciphersync.session.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.ciphersync.relay.protocol.frame.FrameLimits;
import org.ciphersync.session.channel.GroupChannel;
import org.ciphersync.session.wire.GroupMessage;
import org.ciphersync.session.wire.GroupMessageCodec;
import org.junit.jupiter.api.Test;

/** Run messages gathered into bundles: order kept, every frame within the relay's limit, a lone message sent as itself. */
class MessageBatchTest {
    private final List<GroupMessage> sent = new ArrayList<>();
    private final MessageBatch batch = new MessageBatch(sent::add);

    private static GroupMessage need(int i) {
        return new GroupMessage.Need(9, "A1", "folder/file-" + i + ".txt", 3, new byte[] {5});
    }

    @Test
    void manySmallMessages_goOutInFewFrames_inTheirOrder_eachWithinTheRelaysFrameLimit() throws Exception {
        for (int i = 0; i < 40_000; i++) {
            batch.add(need(i));
        }
        batch.flush();
        assertThat(sent).hasSizeBetween(2, 3); // ≈ 40 B per NEED: about 23,000 per 900 KiB bundle
        List<GroupMessage> unpacked = new ArrayList<>();
        for (GroupMessage m : sent) {
            byte[] wire = GroupMessageCodec.encode(m);
            assertThat(GroupChannel.HEADER + wire.length + 16 + 64).isLessThanOrEqualTo(FrameLimits.MAX_PAYLOAD);
            unpacked.addAll(((GroupMessage.Bundle) GroupMessageCodec.decode(wire)).messages());
        }
        assertThat(unpacked).hasSize(40_000);
        for (int i = 0; i < unpacked.size(); i++) {
            assertThat(((GroupMessage.Need) unpacked.get(i)).path()).isEqualTo("folder/file-" + i + ".txt");
        }
    }

    @Test
    void aLoneMessage_travelsAsItself_andAnEmptyFlushSendsNothing() throws Exception {
        batch.flush();
        assertThat(sent).isEmpty();
        batch.add(need(1));
        batch.flush();
        batch.flush();
        assertThat(sent).singleElement().satisfies(m -> assertThat(GroupMessageCodec.encode(m)).isEqualTo(GroupMessageCodec.encode(need(1))));
    }

    @Test
    void aMessageThatWouldOverfillTheBundle_sendsWhatIsQueuedFirst() throws Exception {
        int n = GroupMessage.Manifest.MAX_PAGE;
        int[] lengths = new int[n];
        java.util.Arrays.fill(lengths, 1 << 16);
        GroupMessage big = new GroupMessage.Manifest(9, "A1", "big.bin", new byte[32], n, 0, lengths, new byte[32 * n], List.of(2));
        batch.add(need(1));
        batch.add(big); // 720 kB: fits with the NEED
        batch.add(big); // would overfill: the NEED and the first page go out first
        batch.flush();
        assertThat(sent).hasSize(2);
        assertThat(((GroupMessage.Bundle) sent.getFirst()).messages()).hasSize(2).endsWith(big);
        assertThat(sent.get(1)).isSameAs(big);
    }
}
