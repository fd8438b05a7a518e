package org.ciphersync.relay.protocol.limit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstPasses_thenFramesWaitForTheRate() {
        RateLimiter r = new RateLimiter(10, 3, 0);
        assertThat(r.tryAcquire(0)).isTrue();
        assertThat(r.tryAcquire(0)).isTrue();
        assertThat(r.tryAcquire(0)).isTrue();
        assertThat(r.tryAcquire(0)).isFalse();
        assertThat(r.millisUntilToken(0)).isEqualTo(100);
        assertThat(r.tryAcquire(SECOND / 10)).isTrue();
        assertThat(r.tryAcquire(SECOND / 10)).isFalse();
    }

    @Test
    void idleTime_refillsNoMoreThanTheBurst() {
        RateLimiter r = new RateLimiter(10, 2, 0);
        long later = 100 * SECOND;
        assertThat(r.tryAcquire(later)).isTrue();
        assertThat(r.tryAcquire(later)).isTrue();
        assertThat(r.tryAcquire(later)).isFalse();
    }
}
