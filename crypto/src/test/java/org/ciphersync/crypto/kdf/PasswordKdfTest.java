package org.ciphersync.crypto.kdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

class PasswordKdfTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The cheapest parameters the floor allows, to keep the suite fast. */
    static final Argon2idParams FLOOR = new Argon2idParams(Argon2idParams.MIN_MEMORY_KIB, Argon2idParams.MIN_ITERATIONS, 1, new byte[16]);

    @Test
    void argon2idRaw_rfc9106Section5_3_givesTheKnownTag() throws Exception {
        Map<String, String> c = Vectors.load("rfc9106-argon2id.txt").get(0);
        byte[] tag = PasswordKdf.argon2idRaw(Vectors.hex(c, "password"), Vectors.hex(c, "salt"), Vectors.hex(c, "secret"),
                Vectors.hex(c, "ad"), Integer.parseInt(c.get("memoryKiB")), Integer.parseInt(c.get("iterations")),
                Integer.parseInt(c.get("parallelism")), Integer.parseInt(c.get("length")));
        assertThat(HexFormat.of().formatHex(tag)).isEqualTo(c.get("tag"));
    }

    @Test
    void derive_samePasswordAndParams_givesSameKey_otherSaltOrPasswordDiffers() {
        Argon2idParams other = new Argon2idParams(FLOOR.memoryKiB(), FLOOR.iterations(), 1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        try (Password pw = Password.of("correct horse battery staple");
             Password wrong = Password.of("correct horse battery stapler");
             SecretBytes a = PasswordKdf.derive(pw, FLOOR);
             SecretBytes b = PasswordKdf.derive(pw, FLOOR);
             SecretBytes c = PasswordKdf.derive(pw, other);
             SecretBytes d = PasswordKdf.derive(wrong, FLOOR)) {
            assertThat(a.constantTimeEquals(b)).isTrue();
            assertThat(a.constantTimeEquals(c)).isFalse();
            assertThat(a.constantTimeEquals(d)).isFalse();
        }
    }

    @Test
    void derive_composedAndDecomposedAccents_giveTheSameKey() {
        try (Password composed = Password.of("caf\u00e9-\u00e9t\u00e9-2026");
             Password decomposed = Password.of("cafe\u0301-e\u0301te\u0301-2026");
             SecretBytes a = PasswordKdf.derive(composed, FLOOR);
             SecretBytes b = PasswordKdf.derive(decomposed, FLOOR)) {
            assertThat(a.constantTimeEquals(b)).isTrue();
        }
    }

    @Test
    void params_belowTheFloorOrAboveTheCeiling_areRefusedNamingTheField() {
        assertThatThrownBy(() -> new Argon2idParams(32 * 1024, 3, 1, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory 32768 KiB is below the floor");
        assertThatThrownBy(() -> new Argon2idParams(65536, 1, 1, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iterations 1");
        assertThatThrownBy(() -> new Argon2idParams(65536, 3, 1, new byte[8]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("salt length 8");
        assertThatThrownBy(() -> new Argon2idParams(4 * 1024 * 1024, 3, 1, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the ceiling");
        assertThatThrownBy(() -> new Argon2idParams(65536, 3, 0, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelism 0");
    }

    @Test
    void encodeDecode_roundTrips() throws Exception {
        Argon2idParams p = Argon2idParams.withRandomSalt(128 * 1024, 4, 2, RANDOM);
        byte[] e = p.encode();
        assertThat(e).hasSize(11 + 16);
        assertThat(Argon2idParams.encodedLength(e, 0)).isEqualTo(e.length);
        assertThat(Argon2idParams.decode(e, 0, e.length)).isEqualTo(p);
        assertThat(p.toString()).contains("m=131072 KiB", "t=4", "p=2").doesNotContain(HexFormat.of().formatHex(p.salt()));
    }

    @Test
    void decode_weakenedOrHostileStoredParams_areRefused() {
        byte[] good = FLOOR.encode();
        byte[] weakened = good.clone();
        weakened[1] = 0; weakened[2] = 0; weakened[3] = 0x10; weakened[4] = 0; // 4 MiB
        assertThatThrownBy(() -> Argon2idParams.decode(weakened, 0, weakened.length))
                .isInstanceOf(MalformedCiphertextException.class).hasMessageContaining("below the floor");
        byte[] huge = good.clone();
        huge[1] = (byte) 0xff;
        assertThatThrownBy(() -> Argon2idParams.decode(huge, 0, huge.length))
                .isInstanceOf(MalformedCiphertextException.class);
        byte[] unknown = good.clone();
        unknown[0] = 2;
        assertThatThrownBy(() -> Argon2idParams.decode(unknown, 0, unknown.length))
                .isInstanceOf(MalformedCiphertextException.class).hasMessageContaining("algorithm 2");
        byte[] lyingSaltLength = good.clone();
        lyingSaltLength[10] = (byte) 200;
        assertThatThrownBy(() -> Argon2idParams.decode(lyingSaltLength, 0, lyingSaltLength.length))
                .isInstanceOf(MalformedCiphertextException.class).hasMessageContaining("salt length 200");
        assertThatThrownBy(() -> Argon2idParams.decode(good, 0, 5))
                .isInstanceOf(MalformedCiphertextException.class).hasMessageContaining("truncated");
    }

    /** A machine where a derivation costs {@code nanosPerMiBPass} per MiB and pass, and nothing else. */
    private static PasswordKdf.Cost linear(long nanosPerMiBPass) {
        return (memoryKiB, iterations) -> nanosPerMiBPass * (memoryKiB / 1024) * iterations;
    }

    @Test
    void choose_fastMachine_raisesMemoryThenIterationsWithinLimits() {
        // 1 ms per MiB-pass: 128 MiB x 3 = 384 ms fits, 256 MiB x 3 = 768 ms > 750 → 128 MiB,
        // then (750 - 384) / 128 = 2 more passes
        assertThat(PasswordKdf.choose(linear(1_000_000), Duration.ofMillis(750))).containsExactly(128 * 1024, 5);
        // very fast: capped at 256 MiB and 10 passes
        assertThat(PasswordKdf.choose(linear(10_000), Duration.ofMillis(750))).containsExactly(256 * 1024, 10);
    }

    @Test
    void choose_measuresEachSize_soACostThatGrowsFasterThanMemoryIsNotExtrapolated() {
        // 64 MiB x 3 = 200 ms, 128 MiB = 500 ms, 256 MiB = 1.4 s (this machine's shape with BC and
        // a 128 MiB young generation): a linear guess from 64 MiB would pick 256 MiB
        Map<Integer, Long> atThreePasses = Map.of(64 * 1024, 200_000_000L, 128 * 1024, 500_000_000L,
                256 * 1024, 1_400_000_000L);
        List<Integer> measured = new ArrayList<>();
        PasswordKdf.Cost cost = (m, t) -> {
            assertThat(t).isEqualTo(3);
            measured.add(m);
            return atThreePasses.get(m);
        };
        // 128 MiB: 500 ms at t = 3, a pass ≈ 167 ms → 3 + 250 / 166 = 4 passes
        assertThat(PasswordKdf.choose(cost, Duration.ofMillis(750))).containsExactly(128 * 1024, 4);
        // 256 MiB is never measured: 128 MiB already took more than half the target
        assertThat(measured).containsExactly(64 * 1024, 128 * 1024);
    }

    @Test
    void choose_slowMachine_neverGoesBelowTheFloor() {
        assertThat(PasswordKdf.choose(linear(50_000_000), Duration.ofMillis(750)))
                .containsExactly(Argon2idParams.MIN_MEMORY_KIB, 3);
    }

    @Test
    void calibrate_tinyTarget_measuresAndReturnsTheFloorMemoryWithAFreshSalt() {
        PasswordKdf.Calibration c = PasswordKdf.calibrate(Duration.ofMillis(1), RANDOM);
        assertThat(c.params().memoryKiB()).isEqualTo(Argon2idParams.MIN_MEMORY_KIB);
        assertThat(c.params().iterations()).isEqualTo(3);
        assertThat(c.params().salt()).hasSize(16).isNotEqualTo(new byte[16]);
        assertThat(c.measured()).isPositive();
    }
}
