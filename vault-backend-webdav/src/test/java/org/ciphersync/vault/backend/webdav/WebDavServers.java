package org.ciphersync.vault.backend.webdav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.ciphersync.vault.store.ServerProcess;

/** The two WebDAV servers the conformance suite runs against, each in its own temporary folder. */
final class WebDavServers {

    private WebDavServers() {
    }

    /** A running server: its process, its port and the folder it serves. */
    record Running(ServerProcess process, int port, Path root) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.close();
        }
    }

    /**
     * {@code rclone serve webdav} on 127.0.0.1 with Basic authentication; credentials via environment.
     * It logs every request ({@code -v}: "PATH: METHOD from ADDRESS") to {@code dir/rclone.log}.
     */
    static Running rclone(Path dir, String user, String password) throws IOException, InterruptedException {
        Path rclone = ServerProcess.requireBinary("rclone", "rclone");
        Path root = Files.createDirectories(dir.resolve("served"));
        Path config = Files.writeString(dir.resolve("rclone.conf"), "");
        int port = ServerProcess.freePort();
        ServerProcess process = ServerProcess.start("rclone serve webdav",
                List.of(rclone.toString(), "serve", "webdav", "--config", config.toString(), "--addr", "127.0.0.1:" + port,
                        "-v", root.toString()),
                Map.of("RCLONE_USER", user, "RCLONE_PASS", password), dir.resolve("rclone.log"), port);
        return new Running(process, port, root);
    }

    /**
     * Apache httpd with mod_dav on 127.0.0.1, with a private configuration. As root, Apache's
     * workers run as {@code www-data}, which then owns the served folder.
     */
    static Running apache(Path dir) throws IOException, InterruptedException {
        Path apache = ServerProcess.requireBinary("/usr/sbin/apache2", "apache2");
        Path modules = Path.of("/usr/lib/apache2/modules");
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path p = dir.getParent(); p != null && root; p = p.getParent()) {
            if (!Files.isReadable(p) || p.equals(Path.of("/tmp"))) {
                break;
            }
            var permissions = Files.getPosixFilePermissions(p);
            if (!permissions.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, permissions);
            }
        }
        Path served = Files.createDirectories(dir.resolve("dav"));
        Path lock = Files.createDirectories(dir.resolve("lock"));
        if (root) {
            for (Path p : List.of(served, lock)) {
                Files.setOwner(p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("www-data"));
                Files.setAttribute(p, "posix:group",
                        p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("www-data"));
            }
        }
        int port = ServerProcess.freePort();
        Path config = dir.resolve("httpd.conf");
        Files.writeString(config, String.join("\n",
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
                "<Directory " + served + ">",
                "  Dav On",
                "  Require all granted",
                "</Directory>",
                ""));
        ServerProcess process = ServerProcess.start("apache2 mod_dav",
                List.of(apache.toString(), "-f", config.toString(), "-DFOREGROUND"), Map.of(), dir.resolve("apache.log"), port);
        return new Running(process, port, served);
    }
}
