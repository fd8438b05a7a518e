package org.ciphersync.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's arrows point one way: compare → plan → apply → local, with state as a leaf.
 * Decisions (compare, plan) never import the effects (apply, local) nor do I/O through files.
 */
class EngineLayeringTest {
    static final Path MAIN = Path.of("src/main/java/org/ciphersync/core");

    static Stream<Arguments> forbidden() {
        return Map.of(
                "compare", List.of("core.plan", "core.apply", "core.local", "java.nio.file.Files"),
                "plan", List.of("core.apply", "core.local"),
                "state", List.of("core.compare", "core.plan", "core.apply", "core.local"),
                "apply", List.of("core.local"),
                "fs", List.of("core.compare", "core.plan", "core.apply", "core.local", "core.state"))
                .entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} does not depend on {1}")
    @MethodSource("forbidden")
    void package_doesNotImportWhatItMustNotKnow(String pkg, List<String> forbidden) throws IOException {
        try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                for (String bad : forbidden) {
                    assertThat(src).as(f + " must not use " + bad).doesNotContain("import org.ciphersync." + bad)
                            .doesNotContain("import " + bad);
                }
            }
        }
    }
}
