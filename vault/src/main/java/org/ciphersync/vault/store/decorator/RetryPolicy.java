package org.ciphersync.vault.store.decorator;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently {@link RetryingBlobStore} repeats a call that failed transiently:
 * exponential back-off from {@code initialDelay}, doubling up to {@code maxDelay}, with up to
 * 20 % random jitter so that many clients do not retry in lock-step.
 *
 * @param maxAttempts  total attempts including the first, {@code >= 1} (1 disables retries)
 * @param initialDelay wait before the second attempt
 * @param maxDelay     longest wait between two attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts " + maxAttempts + " is less than 1");
        }
        Objects.requireNonNull(initialDelay, "initialDelay == null");
        Objects.requireNonNull(maxDelay, "maxDelay == null");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= initialDelay " + initialDelay + " <= maxDelay " + maxDelay);
        }
    }

    /** 8 attempts, 250 ms doubling to 20 s: rides out about half a minute of trouble. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofMillis(250), Duration.ofSeconds(20));
    }

    /** A single attempt. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The wait before attempt {@code attempt + 1} (attempt counts from 1), before jitter. */
    public Duration delayAfter(int attempt) {
        long millis = initialDelay.toMillis();
        for (int i = 1; i < attempt && millis < maxDelay.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }
}
