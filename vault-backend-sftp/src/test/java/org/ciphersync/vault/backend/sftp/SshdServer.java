package org.ciphersync.vault.backend.sftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.ServerProcess;

/**
 * OpenSSH's {@code sshd} on 127.0.0.1 with its own configuration, host key and one authorized
 * user key, all in a temporary folder; the test's {@code known_hosts} lists its host key.
 */
final class SshdServer implements AutoCloseable {

    final Path dir;
    final int port;
    final Path userKey;
    final Path knownHosts;
    final Path hostPublicKey;
    final String user = System.getProperty("user.name");
    private final ServerProcess process;

    private SshdServer(Path dir, int port, Path userKey, Path knownHosts, Path hostPublicKey, ServerProcess process) {
        this.dir = dir;
        this.port = port;
        this.userKey = userKey;
        this.knownHosts = knownHosts;
        this.hostPublicKey = hostPublicKey;
        this.process = process;
    }

    static SshdServer start(Path dir) throws IOException, InterruptedException {
        Path sshd = ServerProcess.requireBinary("/usr/sbin/sshd", "openssh-server");
        ServerProcess.requireBinary("ssh-keygen", "openssh-client");
        Path hostKey = dir.resolve("host_ed25519");
        Path userKey = dir.resolve("user_ed25519");
        keygen(hostKey);
        keygen(userKey);
        Files.copy(dir.resolve("user_ed25519.pub"), dir.resolve("authorized_keys"));
        int port = ServerProcess.freePort();
        Path hostPub = dir.resolve("host_ed25519.pub");
        String[] hostKeyParts = Files.readString(hostPub).trim().split(" ");
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + hostKeyParts[0] + " " + hostKeyParts[1] + "\n");
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin yes",
                "MaxSessions 30",
                "MaxStartups 30:30:60",
                "LogLevel ERROR",
                "Subsystem sftp internal-sftp",
                ""));
        // Privilege separation directory that sshd checks at start when run as root.
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd"));
        }
        ServerProcess process = ServerProcess.start("sshd", List.of(sshd.toString(), "-D", "-e", "-f", config.toString()),
                Map.of(), dir.resolve("sshd.log"), port);
        return new SshdServer(dir, port, userKey, knownHosts, hostPub, process);
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ciphersync-test", "-f", key.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("ssh-keygen failed: " + output);
        }
    }

    /** Options for a store that authenticates with the test key and trusts only this server. */
    BackendOptions options() {
        return new BackendOptions(Map.of("sftp.identity", userKey.toString(), "sftp.known-hosts", knownHosts.toString()),
                Map.of("HOME", dir.toString()));
    }

    /** {@code sftp://user@127.0.0.1:port//absolute/folder}. */
    String location(Path folder) {
        return "sftp://" + user + "@127.0.0.1:" + port + "/" + folder.toAbsolutePath();
    }

    void kill() throws InterruptedException {
        process.kill();
    }

    void restart() throws IOException, InterruptedException {
        process.restart(port);
    }

    String log() {
        return process.logTail();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
