package org.ciphersync.session.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.session.client.SessionFixture.WAIT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.relay.protocol.client.Inbound;
import org.ciphersync.relay.protocol.frame.FrameType;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.session.channel.GroupChannel;
import org.ciphersync.session.member.SourceEntry;
import org.ciphersync.session.wire.GroupMessage;
import org.ciphersync.session.wire.GroupMessageCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose chunk list takes several MANIFEST pages, over a real relay on loopback. The members send
 * pages of 10 chunks, so a file of a few MiB (about a hundred chunks) takes ten pages: the same code path
 * as a file of more than 20,000 chunks with the real page size.
 */
class SessionManifestPagesIT {
    private static final int PAGE = 10;

    @TempDir
    Path tmp;

    @Test
    void aFileOfManyPages_reachesTwoMembers_andAnEditedCopySendsOnlyTheChangedChunks() throws Exception {
        byte[] content = SessionInventoryIT.random(6 << 20, 11);
        byte[] edited = content.clone();
        for (int i = 0; i < 100; i++) {
            edited[(3 << 20) + i] ^= 0x5a;
        }
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Path c = Files.createDirectories(tmp.resolve("c"));
        Files.write(a.resolve("video.bin"), content);
        Files.write(b.resolve("video.bin"), edited);
        SessionInventoryIT.olderByAnHour(b.resolve("video.bin")); // same size: the mtimes must differ
        Files.writeString(c.resolve("c.txt"), "c's own file"); // not empty: the empty-node guard stays out of this test
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            f.manifestPage = PAGE;
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            SessionClient cc = f.join(ca, "charlie", SourceEntry.directory(c.toString()));
            SessionInventoryIT.mirror(f, ca, cb, cc);
            assertThat(Files.readAllBytes(b.resolve("video.bin"))).isEqualTo(content);
            assertThat(Files.readAllBytes(c.resolve("video.bin"))).isEqualTo(content);
            long sent = SessionInventoryIT.partBytes(f);
            assertThat(sent).as("C needs everything, B a chunk or two: about one file's bytes uploaded, once")
                    .isGreaterThanOrEqualTo(content.length).isLessThan(content.length + 600_000);
            for (SessionClient x : List.of(ca, cb, cc)) {
                assertThat(x.alerts()).as("alerts of " + x).noneMatch(t -> t.contains("manifest"));
            }
        }
    }

    @Test
    void aManifestPageThatNeverArrives_failsTheFile_andNothingIsWritten() throws Exception {
        byte[] content = SessionInventoryIT.random(3 << 20, 12);
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.write(a.resolve("video.bin"), content);
        Files.writeString(a.resolve("small.txt"), "small");
        Files.writeString(b.resolve("video.bin"), "b's version, kept");
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            f.manifestPage = PAGE;
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            for (SessionClient x : List.of(ca, cb)) {
                x.await(v -> v.members().size() == 2 && v.members().stream().allMatch(m -> m.sources().size() == 1), WAIT);
            }
            ca.startInventory();
            ca.await(v -> ca.comparison().isPresent(), WAIT);
            // the relay drops the second page of video.bin's manifest on its way to B: B sees page 3 follow page 1
            byte[] key = ca.groupKeyForTest();
            long epoch = ca.view().keyEpoch();
            AtomicBoolean dropped = new AtomicBoolean();
            f.links.get("bravo").inbound = in -> secondPage(in, ca, key, epoch) && !dropped.getAndSet(true) ? List.of() : List.of(in);

            ca.startSynchronization(Preset.MIRROR);

            cb.await(v -> cb.syncComplete(), WAIT.multipliedBy(3));
            assertThat(dropped).isTrue();
            assertThat(cb.alerts()).anyMatch(t -> t.contains("refused the manifest of video.bin") && t.contains("out of order"));
            assertThat(cb.syncFailures()).singleElement().satisfies(x -> {
                assertThat(x.path()).isEqualTo("video.bin");
                assertThat(x.reason()).contains("refused the manifest");
            });
            assertThat(Files.readString(b.resolve("video.bin"))).isEqualTo("b's version, kept");
            assertThat(Files.readString(b.resolve("small.txt"))).as("the other file still arrived").isEqualTo("small");
            assertThat(SessionInventoryIT.partBytes(f)).as("nothing of video.bin was asked for").isLessThan(1000);
        }
    }

    /** Whether {@code in} is a group frame from {@code source} carrying a MANIFEST page that starts at chunk {@link #PAGE}. */
    private static boolean secondPage(Inbound in, SessionClient source, byte[] key, long epoch) {
        if (!(in.message() instanceof Message.Data d) || in.sender() != source.memberId()) {
            return false;
        }
        GroupChannel spy = new GroupChannel(source.sessionId(), 1000);
        try (SecretBytes k = SecretBytes.copyOf(key)) {
            spy.install(epoch, k, true);
            GroupMessage m = GroupMessageCodec.decode(spy.open(FrameType.DATA, in.sender(), d.payload()).plaintext());
            return m instanceof GroupMessage.Manifest p && p.path().equals("video.bin") && p.firstChunk() == PAGE;
        } catch (Exception e) {
            return false;
        }
    }
}
