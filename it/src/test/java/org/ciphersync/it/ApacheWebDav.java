package org.ciphersync.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ciphersync.vault.store.ServerProcess;

/**
 * Apache httpd with mod_dav on 127.0.0.1 and a private configuration, no authentication. As root,
 * Apache's workers run as {@code www-data}, which then owns the served folder (and the folders above
 * it get the search bit so the workers can reach it).
 */
final class ApacheWebDav implements StorageServer {
    private final Path served;
    private final int port;
    private final ServerProcess process;

    private ApacheWebDav(Path served, int port, ServerProcess process) {
        this.served = served;
        this.port = port;
        this.process = process;
    }

    static ApacheWebDav start(Path dir) throws IOException, InterruptedException {
        Path apache = ServerProcess.requireBinary("/usr/sbin/apache2", "apache2");
        Path modules = Path.of("/usr/lib/apache2/modules");
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path p = dir.getParent(); p != null && root; p = p.getParent()) {
            if (!Files.isReadable(p) || p.equals(Path.of("/tmp"))) {
                break;
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p);
            if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(p, permissions);
            }
        }
        Path served = Files.createDirectories(dir.resolve("dav"));
        Path lock = Files.createDirectories(dir.resolve("lock"));
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            for (Path p : List.of(served, lock)) {
                Files.setOwner(p, users.lookupPrincipalByName("www-data"));
                Files.setAttribute(p, "posix:group", users.lookupPrincipalByGroupName("www-data"));
            }
        }
        int port = ServerProcess.freePort();
        Path config = Files.writeString(dir.resolve("httpd.conf"), String.join("\n",
                "ServerRoot " + dir,
                "LoadModule mpm_event_module " + modules.resolve("mod_mpm_event.so"),
                "LoadModule authz_core_module " + modules.resolve("mod_authz_core.so"),
                "LoadModule dav_module " + modules.resolve("mod_dav.so"),
                "LoadModule dav_fs_module " + modules.resolve("mod_dav_fs.so"),
                "Listen 127.0.0.1:" + port,
                "ServerName 127.0.0.1",
                "PidFile " + dir.resolve("httpd.pid"),
                "ErrorLog " + dir.resolve("error.log"),
                "DefaultRuntimeDir " + dir,
                root ? "User www-data\nGroup www-data" : "",
                "DocumentRoot " + served,
                "DavLockDB " + lock.resolve("DavLock"),
                "LimitRequestBody 0",
                "<Directory " + served + ">",
                "  Dav On",
                "  Require all granted",
                "</Directory>",
                ""));
        ServerProcess process = ServerProcess.start("apache2 mod_dav",
                List.of(apache.toString(), "-f", config.toString(), "-DFOREGROUND"), Map.of(), dir.resolve("apache.log"), port);
        return new ApacheWebDav(served, port, process);
    }

    @Override
    public String name() {
        return "WebDAV (Apache mod_dav)";
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
