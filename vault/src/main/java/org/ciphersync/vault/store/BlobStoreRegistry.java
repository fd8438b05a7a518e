package org.ciphersync.vault.store;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The factories the application knows, by URI scheme. The composition root (CLI, app) registers
 * one factory per backend module; everything else only asks the registry to open or redact a
 * location. A location without a scheme (a plain path, also {@code C:\…}) is a {@code file} location.
 */
public final class BlobStoreRegistry {

    /** A scheme of at least two characters, so that Windows drive letters stay paths. */
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");

    private final Map<String, BlobStoreFactory> factories = new ConcurrentHashMap<>();

    /**
     * A registry with every factory on the class path ({@code META-INF/services/}
     * {@code org.ciphersync.vault.store.BlobStoreFactory}): the local store and each
     * {@code vault-backend-*} module present. The composition root may also register by hand.
     */
    public static BlobStoreRegistry withInstalledFactories() {
        BlobStoreRegistry registry = new BlobStoreRegistry();
        for (BlobStoreFactory factory : java.util.ServiceLoader.load(BlobStoreFactory.class, BlobStoreRegistry.class.getClassLoader())) {
            registry.register(factory);
        }
        return registry;
    }

    /** The registered schemes, sorted. */
    public java.util.Set<String> schemes() {
        return java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(factories.keySet()));
    }

    /** Adds {@code factory} for all of its schemes. */
    public BlobStoreRegistry register(BlobStoreFactory factory) {
        Objects.requireNonNull(factory, "factory == null");
        for (String scheme : factory.schemes()) {
            BlobStoreFactory previous = factories.putIfAbsent(scheme.toLowerCase(Locale.ROOT), factory);
            if (previous != null && previous != factory) {
                throw new IllegalStateException("scheme '" + scheme + "' is already registered by " + previous.getClass().getName());
            }
        }
        return this;
    }

    /** The scheme of {@code location}, {@code "file"} for a plain path. */
    public static String schemeOf(String location) {
        Matcher m = SCHEME.matcher(Objects.requireNonNull(location, "location == null"));
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "file";
    }

    /** The factory for {@code location}'s scheme, if one is registered. */
    public Optional<BlobStoreFactory> factoryFor(String location) {
        return Optional.ofNullable(factories.get(schemeOf(location)));
    }

    /**
     * Opens the raw (undecorated) store for {@code location}.
     *
     * @throws StoreException {@code PERMANENT} when no factory handles the scheme, naming the known ones
     */
    public BlobStore open(String location, BackendOptions options) throws StoreException {
        BlobStoreFactory factory = factoryFor(location).orElseThrow(() -> StoreException.permanent(
                "no storage backend for '" + schemeOf(location) + ":' locations (" + redact(location)
                        + "); known schemes: " + String.join(", ", new TreeMap<>(factories).keySet()), null));
        return factory.open(location, options);
    }

    /** {@code location} without secrets; for unknown schemes the generic user-info redaction. */
    public String redact(String location) {
        if (location == null) {
            return "";
        }
        BlobStoreFactory factory = factories.get(schemeOf(location));
        return factory != null ? factory.redact(location) : BlobStoreFactory.redactUserInfo(location);
    }
}
