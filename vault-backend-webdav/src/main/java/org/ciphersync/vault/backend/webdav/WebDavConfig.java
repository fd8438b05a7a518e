package org.ciphersync.vault.backend.webdav;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobStoreFactory;
import org.ciphersync.vault.store.StoreException;

/**
 * Where and how to reach a WebDAV vault.
 *
 * <p>Location form: {@code webdav://[user@]host[:port]/path} (plain HTTP) or
 * {@code webdavs://[user@]host[:port]/path} (HTTPS). The password comes from the flag
 * {@code webdav.password}, the environment variable {@code CIPHERSYNC_WEBDAV_PASSWORD}, or (discouraged,
 * it ends up in shell history) the location's user info; it is sent with HTTP Basic
 * authentication and never printed.
 *
 * @param baseUri         the vault folder as an {@code http(s)} URI ending with {@code /}
 * @param displayLocation the location to print, without password
 * @param user            user name, or null for no authentication
 * @param password        password, or null
 * @param connections     concurrent requests
 * @param timeout         connect timeout and the time allowed for a response to start
 */
public record WebDavConfig(URI baseUri, String displayLocation, String user, String password, int connections, Duration timeout) {

    /** Environment variable holding the WebDAV password. */
    public static final String PASSWORD_ENV = "CIPHERSYNC_WEBDAV_PASSWORD";

    public WebDavConfig {
        Objects.requireNonNull(baseUri, "baseUri == null");
        Objects.requireNonNull(displayLocation, "displayLocation == null");
        Objects.requireNonNull(timeout, "timeout == null");
        String scheme = baseUri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("WebDAV base URI scheme '" + scheme + "' is not http or https");
        }
        if (baseUri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the WebDAV base URI must not carry user info; pass user and password separately");
        }
        if (!baseUri.getRawPath().endsWith("/")) {
            throw new IllegalArgumentException("WebDAV base URI path '" + baseUri.getRawPath() + "' must end with '/'");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections " + connections + " is less than 1");
        }
    }

    /** Parses a {@code webdav://} or {@code webdavs://} location. */
    public static WebDavConfig parse(String location, BackendOptions options) throws StoreException {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw usage(location, "malformed: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("webdav") && !scheme.equals("webdavs") || uri.getHost() == null) {
            throw usage(location, "expected webdav:// or webdavs:// and a host");
        }
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            String info = uri.getUserInfo();
            int colon = info.indexOf(':');
            user = colon < 0 ? info : info.substring(0, colon);
            password = colon < 0 ? null : info.substring(colon + 1);
        }
        user = options.setting("webdav.user").orElse(user);
        password = options.setting("webdav.password").or(() -> options.env(PASSWORD_ENV)).orElse(password);
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        if (path.contains("/../") || path.contains("/./")) {
            throw usage(location, "the path must not contain . or .. segments");
        }
        try {
            URI base = new URI(scheme.equals("webdavs") ? "https" : "http", null, uri.getHost(), uri.getPort(), path, null, null);
            String display = scheme + "://" + (user == null ? "" : user + "@") + uri.getHost()
                    + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + path;
            int connections = Integer.parseInt(options.setting("webdav.connections").orElse("4"));
            return new WebDavConfig(base, display, user, password, connections, Duration.ofSeconds(60));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw usage(location, e.getMessage());
        }
    }

    private static StoreException usage(String location, String problem) {
        return StoreException.permanent("'" + BlobStoreFactory.redactUserInfo(location) + "' is not a WebDAV location ("
                + problem + "); use webdav://[user@]host[:port]/path or webdavs://… with the password in "
                + PASSWORD_ENV, null);
    }

    @Override
    public String toString() {
        return "WebDavConfig[" + displayLocation + (password == null ? "" : ", password ***") + "]";
    }
}
