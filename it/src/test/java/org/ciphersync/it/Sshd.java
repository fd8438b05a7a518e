package org.ciphersync.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ciphersync.vault.store.ServerProcess;

/**
 * OpenSSH's {@code sshd} on 127.0.0.1 with a private configuration, host key and one authorized
 * user key; the vault's SFTP backend trusts exactly this host key through {@code sftp.known-hosts}.
 * Objects land in a folder of this machine addressed by an absolute SFTP path.
 */
final class Sshd implements StorageServer {
    private final Path dir;
    private final Path vaults;
    private final int port;
    private final Path userKey;
    private final Path knownHosts;
    private final ServerProcess process;

    private Sshd(Path dir, Path vaults, int port, Path userKey, Path knownHosts, ServerProcess process) {
        this.dir = dir;
        this.vaults = vaults;
        this.port = port;
        this.userKey = userKey;
        this.knownHosts = knownHosts;
        this.process = process;
    }

    static Sshd start(Path dir) throws IOException, InterruptedException {
        Path sshd = ServerProcess.requireBinary("/usr/sbin/sshd", "openssh-server");
        ServerProcess.requireBinary("ssh-keygen", "openssh-client");
        Path hostKey = dir.resolve("host_ed25519");
        Path userKey = dir.resolve("user_ed25519");
        keygen(hostKey);
        keygen(userKey);
        Files.copy(dir.resolve("user_ed25519.pub"), dir.resolve("authorized_keys"));
        int port = ServerProcess.freePort();
        String[] hostPub = Files.readString(dir.resolve("host_ed25519.pub")).trim().split(" ");
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + hostPub[0] + " " + hostPub[1] + "\n");
        Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
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
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd")); // privilege-separation folder sshd checks as root
        }
        ServerProcess process = ServerProcess.start("sshd", List.of(sshd.toString(), "-D", "-e", "-f", config.toString()),
                Map.of(), dir.resolve("sshd.log"), port);
        return new Sshd(dir, Files.createDirectories(dir.resolve("vaults")), port, userKey, knownHosts, process);
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ciphersync-it", "-f", key.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("ssh-keygen failed: " + output);
        }
    }

    @Override
    public String name() {
        return "SFTP (OpenSSH sshd)";
    }

    @Override
    public String location(String vault) {
        return "sftp://" + System.getProperty("user.name") + "@127.0.0.1:" + port + "/" + vaults.resolve(vault);
    }

    @Override
    public List<String> options() {
        return List.of("-o", "sftp.identity=" + userKey, "-o", "sftp.known-hosts=" + knownHosts, "-o", "sftp.no-agent=true");
    }

    @Override
    public Path dataRoot() {
        return vaults;
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

    @Override
    public String toString() {
        return name() + " in " + dir;
    }
}
