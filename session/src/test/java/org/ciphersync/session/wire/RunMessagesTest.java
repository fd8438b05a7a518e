package org.ciphersync.session.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.session.member.SourceEntry;
import org.junit.jupiter.api.Test;

/** The synchronization run's group messages: exact round trips, and every truncation refused. */
class RunMessagesTest {
    private static final List<GroupMessage> SAMPLES = List.of(
            new GroupMessage.Manifest(7, "A1", "docs/a.txt", new byte[32], 5, 3, new int[] {5, 6}, new byte[64], List.of(2, 3)),
            new GroupMessage.Parts(7, 4, "A1", "docs/a.txt", List.of(new GroupMessage.PartRef("p7-1-a-0", List.of(2, 3))), "", List.of(2, 3)),
            new GroupMessage.Parts(7, 4, "A1", "docs/a.txt", List.of(), "changed on its source", List.of(3)),
            new GroupMessage.SyncDone(7, 3, 2, List.of(new GroupMessage.ItemFailure("B1", "x/y.txt", "not received: member C left the session"),
                    new GroupMessage.ItemFailure("B1", "z", "declined on this machine")), true),
            new GroupMessage.SyncDone(7, 3, 0),
            new GroupMessage.Ready(7),
            new GroupMessage.Uploaded(7, 4, new GroupMessage.PartRef("p7-1-3", List.of(2, 3, 5))),
            new GroupMessage.Bundle(List.of(
                    new GroupMessage.Uploaded(7, 4, new GroupMessage.PartRef("p7-1-4", List.of(2))),
                    new GroupMessage.Manifest(7, "A1", "b.txt", new byte[32], 1, 0, new int[] {9}, new byte[32], List.of(2)),
                    new GroupMessage.Need(7, "A1", "b.txt", 1, new byte[] {1}),
                    new GroupMessage.Parts(7, 4, "A1", "b.txt", List.of(new GroupMessage.PartRef("p7-1-0", List.of(2))), "", List.of(2)))),
            new GroupMessage.Takeover(7, 2, 4, new GroupMessage.SignedOrder(3, 12,
                    new GroupMessage.LeaderOrder(Message.LeaderCommand.Kind.START_SYNCHRONIZATION, new byte[41], new byte[64])),
                    5, "run-7-4", List.of(new GroupMessage.NodeOwner("A1", 1), new GroupMessage.NodeOwner("B1", 4)),
                    List.of(SourceEntry.directory("/home/b/Photos")), List.of(new GroupMessage.Result(1, 10, 0))));

    @Test
    void everyRunMessage_decodesToWhatWasEncoded() throws Exception {
        for (GroupMessage m : SAMPLES) {
            byte[] wire = GroupMessageCodec.encode(m);
            GroupMessage back = GroupMessageCodec.decode(wire);
            assertThat(back.getClass()).isEqualTo(m.getClass());
            assertThat(GroupMessageCodec.encode(back)).as(m.toString()).isEqualTo(wire);
        }
        GroupMessage.SyncDone done = (GroupMessage.SyncDone) GroupMessageCodec.decode(GroupMessageCodec.encode(SAMPLES.get(3)));
        assertThat(done.failures()).extracting(GroupMessage.ItemFailure::reason).containsExactly(
                "not received: member C left the session", "declined on this machine");
        assertThat(done.complete()).isTrue();
    }

    @Test
    void everyTruncationOfARunMessage_isRefused() {
        for (GroupMessage m : SAMPLES) {
            byte[] wire = GroupMessageCodec.encode(m);
            for (int cut = 0; cut < wire.length; cut++) {
                byte[] bad = Arrays.copyOf(wire, cut);
                assertThatThrownBy(() -> GroupMessageCodec.decode(bad)).as(m + " cut to " + cut).isInstanceOf(WireException.class);
            }
        }
    }

    @Test
    void aBundleOfAnotherKindOfMessage_orABundleInABundle_orAnEmptyBundle_isRefused() throws Exception {
        byte[] inner = GroupMessageCodec.encode(new GroupMessage.Bundle(List.of(new GroupMessage.Need(7, "A1", "x", 0, new byte[0]))));
        for (byte[] carried : List.of(GroupMessageCodec.encode(new GroupMessage.Ready(7)), inner,
                GroupMessageCodec.encode(new GroupMessage.SyncDone(7, 1, 0)))) {
            byte[] forged = new WireWriter().u8(GroupMessageCodec.BUNDLE).u8(0).u8(1).u32(carried.length).raw(carried).toByteArray();
            assertThatThrownBy(() -> GroupMessageCodec.decode(forged)).isInstanceOf(WireException.class)
                    .hasMessageContaining("does not travel in a bundle");
        }
        byte[] empty = new WireWriter().u8(GroupMessageCodec.BUNDLE).u8(0).u8(0).toByteArray();
        assertThatThrownBy(() -> GroupMessageCodec.decode(empty)).isInstanceOf(WireException.class).hasMessageContaining("no message");
        byte[] overlong = new WireWriter().u8(GroupMessageCodec.BUNDLE).u8(0).u8(1).u32(1 << 20).u8(8).toByteArray();
        assertThatThrownBy(() -> GroupMessageCodec.decode(overlong)).isInstanceOf(WireException.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> new GroupMessage.Bundle(List.of(new GroupMessage.Ready(7)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRepeatedOrZeroMemberInTheTargets_isRefused() {
        byte[] wire = GroupMessageCodec.encode(SAMPLES.getFirst());
        byte[] repeated = wire.clone();
        repeated[repeated.length - 1] = 2; // targets 2, 2
        assertThatThrownBy(() -> GroupMessageCodec.decode(repeated)).isInstanceOf(WireException.class).hasMessageContaining("repeats");
        byte[] zero = wire.clone();
        zero[zero.length - 1] = 0;
        assertThatThrownBy(() -> GroupMessageCodec.decode(zero)).isInstanceOf(WireException.class);
    }

    @Test
    void aManifestPageAtTheRealLimit_andANeedForTheLargestFile_fitInOneRelayFrame() throws Exception {
        String path = "d/".repeat(8 * 1024 - 1) + "f"; // 16 KiB - 1 byte path, the longest carried
        int n = GroupMessage.Manifest.MAX_PAGE;
        int[] lengths = new int[n];
        Arrays.fill(lengths, 256 * 1024);
        List<Integer> eight = List.of(1, 2, 3, 4, 5, 6, 7, 8);
        GroupMessage.Manifest page = new GroupMessage.Manifest(7, "A1", path, new byte[32], GroupMessage.Manifest.MAX_CHUNKS,
                GroupMessage.Manifest.MAX_CHUNKS - n, lengths, new byte[32 * n], eight);
        GroupMessage.Need need = new GroupMessage.Need(7, "A1", path, GroupMessage.Manifest.MAX_CHUNKS,
                new byte[GroupMessage.Manifest.MAX_CHUNKS / 8]);
        for (GroupMessage m : List.<GroupMessage>of(page, need)) {
            byte[] wire = GroupMessageCodec.encode(m);
            assertThat(GroupMessageCodec.encode(GroupMessageCodec.decode(wire))).isEqualTo(wire);
            int sealed = org.ciphersync.session.channel.GroupChannel.HEADER + wire.length + 16;
            assertThat(sealed + 64).as(m + " sealed, with the DATA message's own fields")
                    .isLessThanOrEqualTo(org.ciphersync.relay.protocol.frame.FrameLimits.MAX_PAYLOAD);
        }
        assertThat(((GroupMessage.Manifest) GroupMessageCodec.decode(GroupMessageCodec.encode(page))).last()).isTrue();
    }

    @Test
    void aManifestPageBeyondTheLimits_isRefused() {
        byte[] wire = GroupMessageCodec.encode(new GroupMessage.Manifest(7, "A1", "a", new byte[32], 10, 4, new int[] {5, 6},
                new byte[64], List.of(2)));
        int at = 1 + 8 + (2 + 2) + (2 + 1) + 32; // type, run, text "A1", text "a" (u16 length each), file hash: then total, first, n
        for (int[] bad : new int[][] {{GroupMessage.Manifest.MAX_CHUNKS + 1, 0, 2}, {10, 9, 2}, {0, 0, 2}, {10, 0, 0},
                {GroupMessage.Manifest.MAX_CHUNKS, 0, GroupMessage.Manifest.MAX_PAGE + 1}}) {
            byte[] forged = wire.clone();
            java.nio.ByteBuffer.wrap(forged, at, 12).putInt(bad[0]).putInt(bad[1]).putInt(bad[2]);
            assertThatThrownBy(() -> GroupMessageCodec.decode(forged)).as(Arrays.toString(bad)).isInstanceOf(WireException.class);
        }
        assertThatThrownBy(() -> new GroupMessage.Manifest(7, "A1", "a", new byte[32], 3, 2, new int[] {5, 6}, new byte[64], List.of(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
