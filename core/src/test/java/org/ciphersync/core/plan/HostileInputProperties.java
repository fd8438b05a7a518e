package org.ciphersync.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ciphersync.core.fs.MemoryFileTree;
import org.ciphersync.core.state.EngineArea;
import org.ciphersync.core.state.StateStore;

/** Parsers of files a user or a storage hands us fail only with their documented exception. */
class HostileInputProperties {
    static final String ID = "00112233445566778899aabbccddeeff";

    /** Mutations of valid documents: truncations, byte flips, spliced tokens. */
    @Provide
    Arbitrary<byte[]> mutatedRules() {
        byte[] valid = RulesFileTest.EXAMPLE.getBytes(StandardCharsets.UTF_8);
        return mutate(valid);
    }

    @Provide
    Arbitrary<byte[]> mutatedState() {
        String valid = "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[{\"p\":\"docs/a.txt\",\"t\":\"f\",\"s\":12,"
                + "\"m\":1704067200000000000,\"h\":\"" + "ab".repeat(32) + "\"},{\"p\":\"docs\",\"t\":\"d\",\"s\":0,\"m\":1}]}";
        return mutate(valid.getBytes(StandardCharsets.UTF_8));
    }

    static Arbitrary<byte[]> mutate(byte[] valid) {
        List<String> tokens = List.of("", "null", "-1", "\"..\"", "\"/etc\"", "[]", "{}", "1e999", "\"\\u0000\"",
                "\"*\"", "\"keep_as_conflict\"", "9223372036854775808");
        Arbitrary<byte[]> truncate = Arbitraries.integers().between(0, valid.length)
                .map(n -> java.util.Arrays.copyOf(valid, n));
        Arbitrary<byte[]> flip = Arbitraries.integers().between(0, valid.length - 1)
                .flatMap(i -> Arbitraries.bytes().map(b -> {
                    byte[] c = valid.clone();
                    c[i] = b;
                    return c;
                }));
        Arbitrary<byte[]> splice = Arbitraries.integers().between(0, valid.length - 1)
                .flatMap(i -> Arbitraries.integers().between(0, 12).flatMap(len -> Arbitraries.of(tokens).map(t -> {
                    String s = new String(valid, StandardCharsets.UTF_8);
                    int end = Math.min(s.length(), i + len);
                    return (s.substring(0, Math.min(i, s.length())) + t + s.substring(end))
                            .getBytes(StandardCharsets.UTF_8);
                })));
        return Arbitraries.oneOf(truncate, flip, splice);
    }

    @Property(tries = 300)
    void rulesFile_anyMutation_parsesOrFailsWithIllegalArgument(@ForAll("mutatedRules") byte[] json) {
        try {
            RuleSet r = RulesFile.parse(json, "fuzz.json");
            assertThat(r).isNotNull();
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).startsWith("fuzz.json");
        }
    }

    @Property(tries = 300)
    void stateFile_anyMutation_loadsOrFailsWithIOException(@ForAll("mutatedState") byte[] json) throws IOException {
        MemoryFileTree t = MemoryFileTree.of();
        t.createDirectories(EngineArea.STATE);
        t.write(".ciphersync/state/" + ID + ".json", json);
        assertThatCode(() -> {
            try {
                StateStore.load(t, ID);
            } catch (IOException expected) {
                assertThat(expected.getMessage()).contains("delete it to start over");
            }
        }).doesNotThrowAnyException();
    }
}
