package org.ciphersync.vault.state;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where this computer keeps its vault state (docs/design.md (Vault) §8): the XDG configuration, data
 * and cache folders of the user, so two users (or two test homes) on one machine are two computers.
 *
 * <p>Resolution order: the system property {@value #PROPERTY} (or the CLI's hidden
 * {@code --state-dir}) puts everything under one folder ({@code config/}, {@code data/},
 * {@code cache/}); else {@code $XDG_CONFIG_HOME}, {@code $XDG_DATA_HOME}, {@code $XDG_CACHE_HOME};
 * else {@code ~/.config}, {@code ~/.local/share}, {@code ~/.cache}. The user's home (where
 * home-relative vault paths are restored) is {@code user.home}, overridable with {@value #HOME_PROPERTY}.
 *
 * @param config folder for {@code ciphersync/vault.json}
 * @param data   folder for {@code ciphersync/vault/<vaultId>/…} (state, versions area)
 * @param cache  folder for caches
 * @param home   the user's home folder
 */
public record StateDirs(Path config, Path data, Path cache, Path home) {
    /** System property naming one folder for all state (tests, scripts). */
    public static final String PROPERTY = "ciphersync.state.dir";
    /** System property overriding the user's home folder (tests). */
    public static final String HOME_PROPERTY = "ciphersync.home";

    public StateDirs {
        Objects.requireNonNull(config, "config == null");
        Objects.requireNonNull(data, "data == null");
        Objects.requireNonNull(cache, "cache == null");
        Objects.requireNonNull(home, "home == null");
    }

    /** Everything under {@code root}, with {@code home} as the user's home. */
    public static StateDirs under(Path root, Path home) {
        return new StateDirs(root.resolve("config"), root.resolve("data"), root.resolve("cache"), home);
    }

    /** Resolves from system properties and the environment. */
    public static StateDirs resolve(String stateDirOption) {
        return resolve(stateDirOption, System.getenv(), System.getProperty(PROPERTY), System.getProperty(HOME_PROPERTY),
                System.getProperty("user.home"));
    }

    static StateDirs resolve(String option, Map<String, String> env, String property, String homeProperty, String userHome) {
        Path home = Path.of(homeProperty != null && !homeProperty.isBlank() ? homeProperty : userHome).toAbsolutePath();
        String root = option != null && !option.isBlank() ? option : property;
        if (root != null && !root.isBlank()) {
            return under(Path.of(root).toAbsolutePath(), home);
        }
        return new StateDirs(xdg(env, "XDG_CONFIG_HOME", home.resolve(".config")), xdg(env, "XDG_DATA_HOME", home.resolve(".local/share")),
                xdg(env, "XDG_CACHE_HOME", home.resolve(".cache")), home);
    }

    private static Path xdg(Map<String, String> env, String var, Path fallback) {
        String v = env.get(var);
        // The XDG spec: relative paths are invalid and must be ignored.
        return v != null && !v.isBlank() && Path.of(v).isAbsolute() ? Path.of(v) : fallback;
    }

    public Path computerConfigFile() {
        return config.resolve("ciphersync").resolve("vault.json");
    }

    public Path vaultDataDir(String vaultId) {
        return data.resolve("ciphersync").resolve("vault").resolve(vaultId);
    }

    public Path versionsDir(String vaultId) {
        return vaultDataDir(vaultId).resolve("versions");
    }
}
