package org.ciphersync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Test trees: writing them and comparing two of them byte for byte. */
final class Trees {
    private Trees() {
    }

    /**
     * A small tree: nested folders, empty folders, an empty file, text, a unicode name and one
     * ~5 MiB incompressible file (several chunks).
     */
    static void writeSmall(Path root) throws IOException {
        write(root.resolve("docs/readme.txt"), "the vault keeps this\n".repeat(50).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        write(root.resolve("docs/notes/2026/plan.md"), "# plan\n- end to end\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        write(root.resolve("docs/empty.txt"), new byte[0]);
        write(root.resolve("música/canción ñ 日本 ✓.txt"), "unicode name\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        write(root.resolve("photos/big.bin"), random(5 * 1024 * 1024 + 12_345, 1));
        Files.createDirectories(root.resolve("docs/empty folder/inner"));
    }

    /** {@code count} incompressible files of {@code size} bytes in {@code root}/big. */
    static void writeLarge(Path root, int count, int size) throws IOException {
        for (int i = 0; i < count; i++) {
            write(root.resolve("big/file-" + i + ".bin"), random(size, 100 + i));
        }
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    /** Relative paths of the regular files below {@code root}. */
    static TreeSet<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    /** Relative paths of the folders below {@code root} (not {@code root} itself). */
    static TreeSet<String> folders(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root) && Files.isDirectory(p)).map(p -> root.relativize(p).toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    /** Same folders (empty ones too), same files, same bytes. */
    static void assertIdentical(Path expected, Path actual) throws IOException {
        assertThat(folders(actual)).as("folders below " + actual).containsExactlyElementsOf(folders(expected));
        TreeSet<String> names = files(expected);
        assertThat(files(actual)).as("files below " + actual).containsExactlyElementsOf(names);
        for (String n : names) {
            assertThat(Files.mismatch(expected.resolve(n), actual.resolve(n))).as("first differing byte of " + n).isEqualTo(-1L);
        }
    }
}
