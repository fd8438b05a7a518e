package org.ciphersync.vault.store.decorator;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A token bucket shared by all transfers in one direction: {@code bytesPerSecond} tokens per
 * second, at most one second's worth saved up. A transfer takes tokens for what it read and
 * sleeps while the bucket is in debt, so the long-run rate never exceeds the limit.
 */
final class Bandwidth {

    private final long bytesPerSecond;
    private double tokens;
    private long lastRefill;

    Bandwidth(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond " + bytesPerSecond + " is not positive");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
        this.lastRefill = System.nanoTime();
    }

    /** Takes {@code bytes} tokens, then sleeps until the bucket is no longer in debt. */
    void take(long bytes) throws InterruptedIOException {
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(bytesPerSecond, tokens + (now - lastRefill) * (bytesPerSecond / 1e9));
            lastRefill = now;
            tokens -= bytes;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens / bytesPerSecond * 1e9);
        }
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while throttling bandwidth");
            }
        }
    }

    /** {@code in}, paced by this bucket. */
    InputStream throttle(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    take(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, Math.min(len, 64 * 1024));
                if (n > 0) {
                    take(n);
                }
                return n;
            }
        };
    }
}
