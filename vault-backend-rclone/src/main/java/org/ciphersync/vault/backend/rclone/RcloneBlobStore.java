package org.ciphersync.vault.backend.rclone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ciphersync.vault.backend.webdav.WebDavBlobStore;
import org.ciphersync.vault.backend.webdav.WebDavConfig;
import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.StoreException;
import org.ciphersync.vault.store.decorator.ForwardingBlobStore;

/**
 * A {@link org.ciphersync.vault.store.BlobStore} on any rclone remote, through a private
 * {@code rclone serve webdav} child process (the way restic runs {@code rclone serve restic}).
 *
 * <p>The child listens on a random port of 127.0.0.1 and accepts only a random user and
 * password that this store generates and hands over in rclone's environment
 * ({@code RCLONE_USER}/{@code RCLONE_PASS}, never on the command line, where other local users
 * could read them). The store talks to it with the {@link WebDavBlobStore} and stops it on
 * {@link #close()} (and at JVM exit, should close be forgotten). If the child dies, every
 * further call fails permanently with rclone's last output.
 */
public final class RcloneBlobStore extends ForwardingBlobStore {

    private static final System.Logger LOG = System.getLogger(RcloneBlobStore.class.getName());
    private static final Pattern STARTED = Pattern.compile("WebDav Server started on \\[?(http://127\\.0\\.0\\.1:(\\d+)/)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int OUTPUT_LINES = 20;

    private final RcloneConfig config;
    private final Process process;
    private final Deque<String> output;
    private final Thread shutdownHook;

    private RcloneBlobStore(RcloneConfig config, WebDavBlobStore webdav, Process process, Deque<String> output, Thread hook) {
        super(webdav);
        this.config = config;
        this.process = process;
        this.output = output;
        this.shutdownHook = hook;
    }

    /** Starts {@code rclone serve webdav} for {@code config.remote()} and waits until it serves. */
    public static RcloneBlobStore start(RcloneConfig config, BackendOptions options) throws StoreException {
        String user = "cs-" + hex(6);
        String password = hex(24);
        // --ignore-checksum: after each upload rclone's WebDAV server hashes the stored object again
        // (on a local remote it reads the whole file back: 4 CPU-s for a 500 MiB upload instead of
        // 0.7). rclone's restic server, which restic runs, stores uploads of known size without that
        // check too; the vault authenticates every blob itself and `vault check --read-data` reads
        // everything back. --no-checksum likewise skips the hash rclone's file layer computes over
        // every download read from start to end (MD5 on a local remote: 0.1 CPU-s per 800 MiB).
        List<String> command = new ArrayList<>(List.of(config.program(), "serve", "webdav", config.remote(),
                "--addr", "127.0.0.1:0", "--dir-cache-time", "1s", "--ignore-checksum", "--no-checksum",
                "--log-level", "NOTICE"));
        config.configFile().ifPresent(file -> command.addAll(List.of("--config", file.toString())));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("RCLONE_USER", user);
        builder.environment().put("RCLONE_PASS", password);
        options.env("RCLONE_CONFIG").ifPresent(c -> builder.environment().put("RCLONE_CONFIG", c));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw StoreException.permanent("cannot run '" + config.program() + "' for " + config.location()
                    + ": " + e.getMessage() + ". Install rclone (https://rclone.org/install/, Debian package 'rclone') "
                    + "or name it with the flag rclone.program", e);
        }
        Deque<String> output = new ArrayDeque<>();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> pump(process, output, url), "rclone-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        String base;
        try {
            base = url.get(config.startup().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            throw StoreException.permanent("interrupted while starting rclone for " + config.location(), e);
        } catch (ExecutionException | TimeoutException e) {
            stop(process);
            throw StoreException.permanent("rclone could not serve " + config.location() + ": " + last(output)
                    + ". Check the remote with 'rclone lsd " + RcloneConfig.redact(config.remote().substring(0, config.remote().indexOf(':') + 1))
                    + "' and the configuration ('rclone config file' shows which file is used; RCLONE_CONFIG or the flag "
                    + "rclone.config choose another)", e);
        }
        Thread hook = new Thread(() -> stop(process), "rclone-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        WebDavBlobStore webdav = new WebDavBlobStore(new WebDavConfig(URI.create(base), config.location(), user, password,
                config.connections(), config.startup()));
        return new RcloneBlobStore(config, webdav, process, output, hook);
    }

    private static void pump(Process process, Deque<String> output, CompletableFuture<String> url) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String logged = RcloneConfig.redact(line);
                synchronized (output) {
                    output.addLast(logged);
                    if (output.size() > OUTPUT_LINES) {
                        output.removeFirst();
                    }
                }
                LOG.log(Level.DEBUG, "rclone: {0}", logged);
                Matcher m = STARTED.matcher(line);
                if (!url.isDone() && m.find()) {
                    url.complete(m.group(1));
                }
            }
        } catch (IOException e) {
            // the child closed its output
        }
        url.completeExceptionally(new IOException("rclone exited"));
    }

    private static String last(Deque<String> output) {
        synchronized (output) {
            return output.isEmpty() ? "(no output)" : String.join(" | ", output);
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Whether the rclone child is still running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** The child's process id, for diagnostics. */
    public long pid() {
        return process.pid();
    }

    /** A transient failure while the child is dead is permanent: retrying cannot bring rclone back. */
    private StoreException explain(StoreException e) {
        if (e.isTransient() && !process.isAlive()) {
            return StoreException.permanent("rclone serving " + config.location() + " exited with code " + process.exitValue()
                    + ": " + last(output), e);
        }
        return e;
    }

    /** Every operation: a failure caused by the rclone child is explained with its last output. */
    @Override
    protected <T> T around(Operation<T> op) throws IOException {
        try {
            return op.run();
        } catch (StoreException e) {
            throw explain(e);
        }
    }

    @Override
    public void close() throws StoreException {
        try {
            delegate.close();
        } finally {
            stop(process);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    @Override
    public String toString() {
        return location();
    }
}
