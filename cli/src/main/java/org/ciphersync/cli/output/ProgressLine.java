package org.ciphersync.cli.output;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-line progress display for terminals: phase, files and bytes done of total, rate and ETA,
 * redrawn a few times a second from the latest snapshot. Updates are lock-free and cheap, so
 * worker threads may report as often as they like. Does nothing when disabled (no terminal, or
 * {@code --json}).
 */
public final class ProgressLine implements AutoCloseable {
    /** The latest reported state. */
    private record Snapshot(String phase, long filesDone, long filesTotal, long bytesDone, long bytesTotal,
                            long phaseStartNanos) {
    }

    private final PrintWriter err;
    private final boolean enabled;
    private final AtomicReference<Snapshot> state = new AtomicReference<>();
    private final ScheduledExecutorService ticker;
    private int lastWidth;

    public ProgressLine(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
        if (enabled) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::draw, 200, 200, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    public void phase(String phase) {
        if (enabled) {
            state.set(new Snapshot(phase, 0, -1, 0, -1, System.nanoTime()));
        }
    }

    public void progress(String phase, long filesDone, long filesTotal, long bytesDone, long bytesTotal) {
        if (!enabled) {
            return;
        }
        Snapshot s = state.get();
        long start = s != null && s.phase().equals(phase) ? s.phaseStartNanos() : System.nanoTime();
        state.set(new Snapshot(phase, filesDone, filesTotal, bytesDone, bytesTotal, start));
    }

    private synchronized void draw() {
        Snapshot s = state.get();
        if (s == null) {
            return;
        }
        double secs = Math.max(1e-3, (System.nanoTime() - s.phaseStartNanos()) / 1e9);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-10s ", s.phase().toLowerCase(Locale.ROOT)));
        if (s.filesTotal() > 0) {
            int pct = (int) Math.min(100, 100 * Math.max(s.filesDone(), 0) / s.filesTotal());
            if (s.bytesTotal() > 0) {
                pct = (int) Math.min(100, 100 * s.bytesDone() / s.bytesTotal());
            }
            int width = 20, fill = pct * width / 100;
            b.append('[').append("#".repeat(fill)).append(" ".repeat(width - fill)).append("] ")
                    .append(pct).append("% ");
            b.append(s.filesDone()).append('/').append(s.filesTotal()).append(" files");
        } else if (s.filesDone() > 0) {
            b.append(s.filesDone()).append(" items");
        }
        if (s.bytesDone() > 0) {
            b.append("  ").append(Units.bytes(s.bytesDone()));
            if (s.bytesTotal() > 0) {
                b.append('/').append(Units.bytes(s.bytesTotal()));
            }
            double rate = s.bytesDone() / secs;
            b.append("  ").append(Units.bytes((long) rate)).append("/s");
            if (s.bytesTotal() > s.bytesDone() && rate > 0) {
                long eta = (long) ((s.bytesTotal() - s.bytesDone()) / rate);
                b.append("  ETA ").append(Units.duration(Duration.ofSeconds(eta)));
            }
        }
        String line = b.toString();
        int pad = Math.max(0, lastWidth - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        lastWidth = line.length();
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            if (lastWidth > 0) {
                err.print("\r" + " ".repeat(lastWidth) + "\r");
                err.flush();
            }
        }
    }
}
