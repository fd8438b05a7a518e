package org.ciphersync.vault.backend.sftp;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.StoreException;

/**
 * Where and how to reach an SFTP vault.
 *
 * <p>Location form (as restic): {@code sftp://user@host[:port]/relative/to/home} or
 * {@code sftp://user@host[:port]//absolute/path}. Authentication uses the SSH agent
 * ({@code SSH_AUTH_SOCK}) and the key files ({@code sftp.identity}, comma-separated, default
 * {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}); passwords are not supported. The
 * host key MUST already be in {@code known_hosts} ({@code sftp.known-hosts}, default
 * {@code ~/.ssh/known_hosts}); an unknown host is refused.
 *
 * @param user           login name
 * @param host           host name or address
 * @param port           TCP port
 * @param path           vault folder: absolute, or relative to the login folder; never contains {@code * ?}
 * @param identityFiles  private key files to offer after the agent's keys
 * @param knownHosts     the known_hosts file to check the host key against
 * @param useAgent       whether to ask the SSH agent at {@code agentSocket}
 * @param agentSocket    the agent's socket, if any
 * @param connections    SFTP channels used in parallel over one SSH connection
 * @param connectTimeout timeout for connecting and for each request
 */
public record SftpConfig(String user, String host, int port, String path, List<Path> identityFiles, Path knownHosts,
                         boolean useAgent, Optional<Path> agentSocket, int connections, Duration connectTimeout) {

    public SftpConfig {
        Objects.requireNonNull(user, "user == null");
        Objects.requireNonNull(host, "host == null");
        Objects.requireNonNull(path, "path == null");
        identityFiles = List.copyOf(identityFiles);
        Objects.requireNonNull(knownHosts, "knownHosts == null");
        Objects.requireNonNull(agentSocket, "agentSocket == null");
        Objects.requireNonNull(connectTimeout, "connectTimeout == null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        if (connections < 1 || connections > 10) {
            throw new IllegalArgumentException("connections " + connections + " is outside 1..10 (OpenSSH allows 10 channels per connection)");
        }
        if (path.contains("*") || path.contains("?")) {
            throw new IllegalArgumentException("SFTP path '" + path + "' contains * or ?, which SFTP clients treat as wildcards");
        }
    }

    /** The location without secrets (an SFTP location has none): {@code sftp://user@host:port/path}. */
    public String location() {
        String where = host.contains(":") ? "[" + host + "]" : host;
        return "sftp://" + user + "@" + where + (port == 22 ? "" : ":" + port) + "/" + path;
    }

    /**
     * Parses {@code sftp://user@host[:port]/path} with the flags {@code sftp.identity},
     * {@code sftp.known-hosts}, {@code sftp.connections} and the environment's {@code HOME},
     * {@code USER}, {@code SSH_AUTH_SOCK}.
     */
    public static SftpConfig parse(String location, BackendOptions options) throws StoreException {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw usage(location, e.getMessage());
        }
        if (!"sftp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw usage(location, "no host");
        }
        String home = options.env("HOME").orElse(System.getProperty("user.home"));
        String user = uri.getUserInfo() != null ? uri.getUserInfo()
                : options.env("USER").orElse(System.getProperty("user.name"));
        if (user.contains(":")) {
            throw StoreException.permanent("SFTP locations must not contain a password (" + redact(location)
                    + "); use your SSH agent or a key file (flag sftp.identity)", null);
        }
        String rawPath = uri.getPath() == null ? "" : uri.getPath();
        String path = rawPath.startsWith("//") ? rawPath.substring(1) : rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            throw usage(location, "no folder path");
        }
        List<Path> identities = new ArrayList<>();
        Optional<String> explicit = options.setting("sftp.identity");
        if (explicit.isPresent()) {
            for (String p : explicit.get().split(",")) {
                identities.add(Path.of(p.trim()));
            }
        } else {
            for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path candidate = Path.of(home, ".ssh", name);
                if (java.nio.file.Files.isReadable(candidate)) {
                    identities.add(candidate);
                }
            }
        }
        Path knownHosts = Path.of(options.setting("sftp.known-hosts").orElse(Path.of(home, ".ssh", "known_hosts").toString()));
        Optional<Path> agent = options.env("SSH_AUTH_SOCK").map(Path::of);
        boolean useAgent = agent.isPresent() && !options.setting("sftp.no-agent").map(Boolean::parseBoolean).orElse(false);
        int connections;
        try {
            connections = Integer.parseInt(options.setting("sftp.connections").orElse("5"));
            return new SftpConfig(user, uri.getHost(), uri.getPort() == -1 ? 22 : uri.getPort(), path, identities, knownHosts,
                    useAgent, agent, connections, Duration.ofSeconds(Long.parseLong(options.setting("sftp.timeout").orElse("30"))));
        } catch (IllegalArgumentException e) {
            throw StoreException.permanent("invalid SFTP settings for " + redact(location) + ": " + e.getMessage(), e);
        }
    }

    static String redact(String location) {
        return org.ciphersync.vault.store.BlobStoreFactory.redactUserInfo(location);
    }

    private static StoreException usage(String location, String problem) {
        return StoreException.permanent("'" + redact(location) + "' is not an SFTP location (" + problem
                + "); use sftp://user@host[:port]/path-in-home or sftp://user@host[:port]//absolute/path", null);
    }
}
