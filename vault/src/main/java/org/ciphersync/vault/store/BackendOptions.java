package org.ciphersync.vault.store;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Settings a backend needs beyond its location: command-line flags such as
 * {@code s3.endpoint} or {@code sftp.identity}, and the process environment it may read
 * credentials from ({@code AWS_ACCESS_KEY_ID}, {@code RCLONE_CONFIG}, …).
 *
 * <p>Passing the environment explicitly keeps factories testable and makes visible which
 * variables a backend reads. {@link #toString()} never prints values of keys that look secret.
 *
 * @param settings    backend flags by key ({@code "<scheme>.<name>"}), never null
 * @param environment environment variables, never null
 */
public record BackendOptions(Map<String, String> settings, Map<String, String> environment) {

    public BackendOptions {
        settings = Map.copyOf(Objects.requireNonNull(settings, "settings == null"));
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment == null"));
    }

    /** No settings and an empty environment. */
    public static BackendOptions none() {
        return new BackendOptions(Map.of(), Map.of());
    }

    /** The given settings and the real process environment. */
    public static BackendOptions fromProcess(Map<String, String> settings) {
        return new BackendOptions(settings, System.getenv());
    }

    /** A flag's value, if set and not blank. */
    public Optional<String> setting(String key) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** An environment variable's value, if set and not blank. */
    public Optional<String> env(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** A copy with one more setting. */
    public BackendOptions with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(settings);
        copy.put(key, value);
        return new BackendOptions(copy, environment);
    }

    /** Whether a key names a secret whose value must never be printed. */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("secret") || k.contains("pass") || k.contains("token") || k.contains("credential")
                || k.endsWith("key") || k.contains("session");
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("BackendOptions{");
        new TreeMap<>(settings).forEach((k, v) -> b.append(k).append('=').append(isSecretKey(k) ? "***" : v).append(", "));
        return b.append("environment: ").append(environment.size()).append(" variables}").toString();
    }
}
