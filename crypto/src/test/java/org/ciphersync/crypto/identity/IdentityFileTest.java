package org.ciphersync.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.WrongPasswordException;
import org.ciphersync.crypto.kdf.Argon2idParams;
import org.ciphersync.crypto.secret.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityFileTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Argon2idParams FLOOR = Argon2idParams.withRandomSalt(Argon2idParams.MIN_MEMORY_KIB,
            Argon2idParams.MIN_ITERATIONS, 1, RANDOM);

    @TempDir
    Path dir;

    @Test
    void save_withoutPassphrase_writesMode0600_andLoadsTheSameIdentity() throws Exception {
        Identity id = Identity.generate(RANDOM);
        Path file = dir.resolve("identity");
        IdentityFile.save(file, id, null, null, RANDOM);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(IdentityFile.isProtected(file)).isFalse();
        Identity loaded = IdentityFile.load(file, null);
        assertThat(loaded.publicKeys()).isEqualTo(id.publicKeys());
        assertThat(id.publicKeys().verify("m".getBytes(), loaded.sign("m".getBytes()))).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void save_withPassphrase_encrypts_andLoadsOnlyWithThatPassphrase() throws Exception {
        Identity id = Identity.generate(RANDOM);
        Path file = dir.resolve("identity");
        IdentityFile.save(file, id, Password.of("local passphrase"), FLOOR, RANDOM);
        assertThat(IdentityFile.isProtected(file)).isTrue();
        byte[] raw = Files.readAllBytes(file);
        byte[] plainBody = new byte[0];
        Path plainFile = dir.resolve("plain");
        IdentityFile.save(plainFile, id, null, null, RANDOM);
        plainBody = Files.readAllBytes(plainFile);
        assertThat(indexOf(raw, java.util.Arrays.copyOfRange(plainBody, 8, 40))).as("private key bytes visible").isEqualTo(-1);

        assertThat(IdentityFile.load(file, Password.of("local passphrase")).publicKeys()).isEqualTo(id.publicKeys());
        assertThatThrownBy(() -> IdentityFile.load(file, Password.of("wrong passphrase")))
                .isInstanceOf(WrongPasswordException.class).hasMessageContaining("wrong passphrase")
                .hasMessageNotContaining("wrong passphrase'").hasMessageNotContaining("local passphrase");
        assertThatThrownBy(() -> IdentityFile.load(file, null)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("protected by a passphrase");
    }

    @Test
    void load_fileReadableByOthers_isRefusedWithTheFix() throws Exception {
        Path file = dir.resolve("identity");
        IdentityFile.save(file, Identity.generate(RANDOM), null, null, RANDOM);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> IdentityFile.load(file, null)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("accessible by other users").hasMessageContaining("chmod 600");
    }

    @Test
    void load_tamperedEncryptedFile_isRefused() throws Exception {
        Path file = dir.resolve("identity");
        IdentityFile.save(file, Identity.generate(RANDOM), Password.of("pw"), FLOOR, RANDOM);
        byte[] raw = Files.readAllBytes(file);
        raw[raw.length - 20] ^= 1;
        Files.write(file, raw);
        assertThatThrownBy(() -> IdentityFile.load(file, Password.of("pw"))).isInstanceOf(WrongPasswordException.class);
    }

    @Test
    void load_garbageTruncatedOrHugeFiles_areRefusedAsMalformed() throws Exception {
        Path file = dir.resolve("identity");
        Files.write(file, "not an identity".getBytes());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> IdentityFile.load(file, null)).isInstanceOf(MalformedCiphertextException.class)
                .hasMessageContaining("bad magic");
        IdentityFile.save(file, Identity.generate(RANDOM), null, null, RANDOM);
        byte[] raw = Files.readAllBytes(file);
        for (int len : new int[] {6, 7, 20, raw.length - 1}) {
            Files.write(file, java.util.Arrays.copyOf(raw, len));
            assertThatThrownBy(() -> IdentityFile.load(file, null)).as("length %d", len)
                    .isInstanceOf(MalformedCiphertextException.class);
        }
        Files.write(file, new byte[IdentityFile.MAX_FILE_LENGTH + 1]);
        assertThatThrownBy(() -> IdentityFile.load(file, null)).isInstanceOf(MalformedCiphertextException.class)
                .hasMessageContaining("more than an identity file can be");
    }

    @Test
    void load_weakenedKdfParameters_areRefusedBeforeDeriving() throws Exception {
        Path file = dir.resolve("identity");
        IdentityFile.save(file, Identity.generate(RANDOM), Password.of("pw"), FLOOR, RANDOM);
        byte[] raw = Files.readAllBytes(file);
        raw[8 + 1] = 0; raw[8 + 2] = 0; raw[8 + 3] = 1; raw[8 + 4] = 0; // 256 KiB
        Files.write(file, raw);
        assertThatThrownBy(() -> IdentityFile.load(file, Password.of("pw"))).isInstanceOf(MalformedCiphertextException.class)
                .hasMessageContaining("below the floor");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
