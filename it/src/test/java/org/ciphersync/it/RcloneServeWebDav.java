package org.ciphersync.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ciphersync.vault.store.ServerProcess;

/**
 * {@code rclone serve webdav} of a local folder on 127.0.0.1 (Go's x/net/webdav). Without
 * authentication: the password could reach an in-process command only through a location with
 * user info or the environment, and the backend's own tests already cover Basic authentication.
 * It logs every request ({@code -v}: "PATH: METHOD from ADDR") to {@link #requestLog()}.
 */
final class RcloneServeWebDav implements StorageServer {
    private final Path served;
    private final int port;
    private final ServerProcess process;
    private final Path log;

    private RcloneServeWebDav(Path served, int port, ServerProcess process, Path log) {
        this.served = served;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static RcloneServeWebDav start(Path dir) throws IOException, InterruptedException {
        Path rclone = ServerProcess.requireBinary("rclone", "rclone");
        Path served = Files.createDirectories(dir.resolve("served"));
        Path config = Files.writeString(dir.resolve("rclone.conf"), "");
        int port = ServerProcess.freePort();
        Path log = dir.resolve("rclone.log");
        ServerProcess process = ServerProcess.start("rclone serve webdav",
                List.of(rclone.toString(), "serve", "webdav", "--config", config.toString(), "--addr", "127.0.0.1:" + port,
                        "-v", served.toString()),
                Map.of(), log, port);
        return new RcloneServeWebDav(served, port, process, log);
    }

    /** The server's log, one line per request answered. */
    Path requestLog() {
        return log;
    }

    @Override
    public String name() {
        return "WebDAV (rclone serve webdav)";
    }

    @Override
    public String location(String vault) {
        return "webdav://127.0.0.1:" + port + "/" + vault;
    }

    @Override
    public List<String> options() {
        return List.of();
    }

    @Override
    public Path dataRoot() {
        return served;
    }

    @Override
    public void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void restart() throws IOException, InterruptedException {
        process.restart(port);
    }

    @Override
    public String log() {
        return process.logTail();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
