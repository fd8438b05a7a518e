package org.ciphersync.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ciphersync.vault.store.ServerProcess;

/**
 * An rclone remote of type {@code local} from a private rclone config ({@code -o rclone.config=…}).
 * The vault's rclone backend starts its own {@code rclone serve webdav} child per command, so there
 * is no server for the test to kill.
 */
final class RcloneLocalRemote implements StorageServer {
    private final Path folder;
    private final Path config;

    private RcloneLocalRemote(Path folder, Path config) {
        this.folder = folder;
        this.config = config;
    }

    static RcloneLocalRemote start(Path dir) throws IOException {
        ServerProcess.requireBinary("rclone", "rclone");
        Path config = Files.writeString(dir.resolve("rclone.conf"), "[itremote]\ntype = local\n");
        return new RcloneLocalRemote(Files.createDirectories(dir.resolve("remote")), config);
    }

    @Override
    public String name() {
        return "rclone (local remote)";
    }

    @Override
    public String location(String vault) {
        return "rclone:itremote:" + folder.resolve(vault);
    }

    @Override
    public List<String> options() {
        return List.of("-o", "rclone.config=" + config);
    }

    @Override
    public Path dataRoot() {
        return folder;
    }

    @Override
    public boolean killable() {
        return false;
    }

    @Override
    public void kill() {
        throw new UnsupportedOperationException("the rclone backend runs its own server; there is none to kill");
    }

    @Override
    public void restart() {
        throw new UnsupportedOperationException("the rclone backend runs its own server; there is none to restart");
    }

    @Override
    public String log() {
        return "(rclone's output is part of the vault command's error)";
    }

    @Override
    public void close() {
        // nothing runs between commands
    }
}
