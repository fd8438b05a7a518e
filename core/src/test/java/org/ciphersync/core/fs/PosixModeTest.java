package org.ciphersync.core.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class PosixModeTest {
    @Test
    void bitsAndPermissions_matchTheRwxNotation_forEveryMode() {
        for (int mode = 0; mode <= 0777; mode++) {
            StringBuilder rwx = new StringBuilder();
            for (int i = 0; i < 9; i++) {
                rwx.append((mode & (0400 >> i)) != 0 ? "rwx".charAt(i % 3) : '-');
            }
            assertThat(PosixMode.permissions(mode)).as("%o", mode).isEqualTo(PosixFilePermissions.fromString(rwx.toString()));
            assertThat(PosixMode.bits(PosixFilePermissions.fromString(rwx.toString()))).isEqualTo(mode);
        }
    }

    @Test
    void bitsAbove0777_areLeftOut() {
        assertThat(PosixMode.permissions(04755)).isEqualTo(PosixMode.permissions(0755));
    }
}
