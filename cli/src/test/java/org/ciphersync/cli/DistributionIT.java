package org.ciphersync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The packaged distribution ({@code target/dist/lib}) carries the repackaged libraries the start-up
 * cache needs (see cli/pom.xml): picocli as Java 6+ class files, zstd-jni without its foreign-function
 * binding, Bouncy Castle without its signature.
 */
class DistributionIT {
    private static final Path LIB = Path.of("target", "dist", "lib");

    private static Path jar(String prefix) throws IOException {
        try (var files = Files.list(LIB)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertThat(found).as(prefix + "* in " + LIB).hasSize(1);
            return found.get(0);
        }
    }

    private static List<String> entries(Path jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = j.entries(); e.hasMoreElements(); ) {
                names.add(e.nextElement().getName());
            }
        }
        return names;
    }

    @Test
    void picocliClassFiles_areAtLeastJava6_soTheStartUpCacheKeepsThem() throws IOException {
        Path jar = jar("picocli-");
        int classes = 0;
        try (JarFile j = new JarFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = j.entries(); e.hasMoreElements(); ) {
                ZipEntry z = e.nextElement();
                if (z.getName().endsWith(".class") && !z.getName().startsWith("META-INF/")) {
                    byte[] b = j.getInputStream(z).readNBytes(8);
                    int major = ((b[6] & 0xff) << 8) | (b[7] & 0xff);
                    assertThat(major).as(z.getName()).isGreaterThanOrEqualTo(50);
                    classes++;
                }
            }
        }
        assertThat(classes).as("picocli's classes are all there").isGreaterThan(200);
    }

    @Test
    void zstdJni_hasOnlyItsJniBinding_andItsNativeLibrary() throws IOException {
        Path jar = jar("zstd-jni-");
        List<String> names = entries(jar);
        assertThat(names).noneMatch(n -> n.startsWith("META-INF/versions/"));
        assertThat(names).contains("com/github/luben/zstd/Zstd.class");
        assertThat(names).anyMatch(n -> n.startsWith("linux/amd64/libzstd-jni"));
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.isMultiRelease()).isFalse();
        }
    }

    @Test
    void bouncyCastle_isUnsigned() throws IOException {
        assertThat(entries(jar("bcprov-"))).noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"));
    }
}
