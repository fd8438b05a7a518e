package org.ciphersync.session.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.session.channel.JoinBundle;
import org.ciphersync.session.channel.Rekey;
import org.ciphersync.session.member.SourceEntry;

/** Hostile bytes from other members or the relay: decoders fail only with {@link WireException}. */
class DecoderFuzzProperties {

    @Provide
    Arbitrary<byte[]> hostile() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
    }

    @Property(tries = 400)
    void groupMessageDecoder_failsOnlyWithWireException(@ForAll("hostile") byte[] data) {
        try {
            GroupMessageCodec.decode(data);
        } catch (WireException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void settingsJoinBundleAndRotationDecoders_failOnlyWithWireException(@ForAll("hostile") byte[] data) {
        for (ThrowingDecoder d : List.<ThrowingDecoder>of(SettingsCodec::decode, JoinBundle::decode, Rekey::parse)) {
            try {
                d.decode(data);
            } catch (WireException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    @Property(tries = 300)
    void aTruncatedOrExtendedValidMessage_isRefused(@ForAll("cut") int cut) {
        byte[] valid = GroupMessageCodec.encode(new GroupMessage.MemberState(
                List.of(SourceEntry.directory("/home/a/Photos"), SourceEntry.file("/etc/hosts"))));
        byte[] bad = java.util.Arrays.copyOf(valid, cut);
        if (cut == valid.length) {
            return;
        }
        try {
            GroupMessageCodec.decode(bad);
            throw new AssertionError("decoded a message cut to " + cut + " of " + valid.length + " bytes");
        } catch (WireException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(0, 60);
    }

    @Property(tries = 100)
    void settings_roundTrip(@ForAll boolean hidden, @ForAll boolean system, @ForAll("globs") List<String> globs) {
        SyncSettings s = new SyncSettings(SyncSettings.ItemKinds.FILES, SyncSettings.Matching.NAME, SyncSettings.CaseSensitivity.INSENSITIVE,
                SyncSettings.AnalysisMode.CHECKSUM, hidden, system, globs, globs, null);
        try {
            assertThat(SettingsCodec.decode(SettingsCodec.encode(s))).isEqualTo(s);
        } catch (WireException e) {
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<List<String>> globs() {
        return Arbitraries.strings().alpha().numeric().withChars('*', '?', '/', '.').ofMinLength(1).ofMaxLength(40).list().ofMaxSize(5);
    }

    @Property(tries = 50)
    void orders_roundTrip(@ForAll("kinds") Message.LeaderCommand.Kind kind, @ForAll byte[] body) throws WireException {
        GroupMessage.LeaderOrder o = new GroupMessage.LeaderOrder(kind, body, new byte[64]);
        assertThat(GroupMessageCodec.decode(GroupMessageCodec.encode(o))).isEqualTo(o);
    }

    @Provide
    Arbitrary<Message.LeaderCommand.Kind> kinds() {
        return Arbitraries.of(Message.LeaderCommand.Kind.class);
    }

    @FunctionalInterface
    interface ThrowingDecoder {
        Object decode(byte[] data) throws WireException;
    }
}
