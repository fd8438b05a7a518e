package org.ciphersync.vault.backend.rclone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.StoreException;

/**
 * An rclone vault location: {@code rclone:REMOTE:path}, where {@code REMOTE} is any remote of the
 * user's rclone configuration (Dropbox, Google Drive, OneDrive, B2, …) or an on-the-fly remote
 * such as {@code :local:} or {@code :s3,provider=…:bucket}.
 *
 * @param remote      what rclone serves, e.g. {@code dropbox:vault}
 * @param program     the rclone executable (flag {@code rclone.program}, default {@code rclone} on the PATH)
 * @param configFile  rclone's configuration file (flag {@code rclone.config}); empty: rclone's own
 *                    default, which honours {@code RCLONE_CONFIG}
 * @param connections concurrent requests to the rclone child
 * @param startup     how long rclone may take to start serving
 */
public record RcloneConfig(String remote, String program, Optional<Path> configFile, int connections, Duration startup) {

    /** Values of on-the-fly remote parameters that hold secrets ({@code :s3,secret_access_key=…:}). */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)((?:[a-z_]*(?:secret|pass|token|key|credentials?|sas_url)[a-z_]*)\\s*=\\s*)(\"[^\"]*\"|'[^']*'|[^,:]*)");

    public RcloneConfig {
        Objects.requireNonNull(remote, "remote == null");
        Objects.requireNonNull(program, "program == null");
        Objects.requireNonNull(configFile, "configFile == null");
        Objects.requireNonNull(startup, "startup == null");
        if (!remote.contains(":")) {
            throw new IllegalArgumentException("rclone remote '" + redact(remote) + "' has no ':'; use REMOTE:path");
        }
        if (remote.startsWith("-")) {
            throw new IllegalArgumentException("rclone remote must not start with '-'");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections " + connections + " is less than 1");
        }
    }

    /** {@code rclone:} plus the remote with secret parameters replaced by {@code ***}. */
    public String location() {
        return "rclone:" + redact(remote);
    }

    /** {@code text} with the values of secret-looking {@code key=value} parameters replaced by {@code ***}. */
    public static String redact(String text) {
        return text == null ? "" : SECRET_PARAMETER.matcher(text).replaceAll("$1***");
    }

    /** Parses {@code rclone:REMOTE:path} with the flags {@code rclone.program}, {@code rclone.config}, {@code rclone.connections}. */
    public static RcloneConfig parse(String location, BackendOptions options) throws StoreException {
        if (!location.regionMatches(true, 0, "rclone:", 0, 7) || location.length() == 7) {
            throw StoreException.permanent("'" + redact(location) + "' is not an rclone location; use rclone:REMOTE:path with a "
                    + "remote from 'rclone config'", null);
        }
        try {
            return new RcloneConfig(location.substring(7), options.setting("rclone.program").orElse("rclone"),
                    options.setting("rclone.config").map(Path::of),
                    Integer.parseInt(options.setting("rclone.connections").orElse("4")), Duration.ofSeconds(60));
        } catch (IllegalArgumentException e) {
            throw StoreException.permanent("invalid rclone location " + redact(location) + ": " + e.getMessage(), e);
        }
    }
}
