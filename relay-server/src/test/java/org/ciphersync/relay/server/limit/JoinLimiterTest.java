package org.ciphersync.relay.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.ciphersync.relay.server.ManualClock;
import org.junit.jupiter.api.Test;

class JoinLimiterTest {

    final ManualClock clock = new ManualClock();
    final JoinLimiter limiter = new JoinLimiter(5, Duration.ofSeconds(30), Duration.ofMinutes(10), clock);

    @Test
    void fourFailures_lockNothing_theFifthLocksForTheBase() {
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.recordFailure("k")).isZero();
        }
        assertThat(limiter.retryAfter("k")).isZero();
        assertThat(limiter.recordFailure("k")).isEqualTo(Duration.ofSeconds(30));
        assertThat(limiter.retryAfter("k")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void furtherFailures_doubleTheLockout_upToTheCap() {
        for (int i = 0; i < 5; i++) {
            limiter.recordFailure("k");
        }
        assertThat(limiter.recordFailure("k")).isEqualTo(Duration.ofSeconds(60));
        assertThat(limiter.recordFailure("k")).isEqualTo(Duration.ofSeconds(120));
        for (int i = 0; i < 40; i++) {
            limiter.recordFailure("k");
        }
        assertThat(limiter.retryAfter("k")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void lockout_endsWhenItsTimeHasPassed() {
        for (int i = 0; i < 5; i++) {
            limiter.recordFailure("k");
        }
        clock.advance(Duration.ofSeconds(29));
        assertThat(limiter.retryAfter("k")).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.retryAfter("k")).isZero();
    }

    @Test
    void keys_areIndependent_andSuccessForgivesOne() {
        for (int i = 0; i < 5; i++) {
            limiter.recordFailure("a");
        }
        assertThat(limiter.retryAfter("b")).isZero();
        limiter.recordSuccess("a");
        assertThat(limiter.retryAfter("a")).isZero();
        assertThat(limiter.failures("a")).isZero();
    }

    @Test
    void purge_dropsKeysIdleLongerThanTheCap() {
        limiter.recordFailure("a");
        clock.advance(Duration.ofMinutes(11));
        limiter.purge();
        assertThat(limiter.size()).isZero();
    }
}
